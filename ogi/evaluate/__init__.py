"""How well and how fast the parser reads: accuracy on the labelled corpus, generated reports, the pipeline benchmark."""
