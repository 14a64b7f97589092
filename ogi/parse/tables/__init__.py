"""Reading the three standard tables from any rendering into canonical cells."""
