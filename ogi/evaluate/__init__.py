"""How well and how fast the parser reads: accuracy on the labelled corpus, per-document benchmark."""
