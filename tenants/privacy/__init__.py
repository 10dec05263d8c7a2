"""Each trust's privacy notice: versioned, edited by leads, shown before the EOI form."""
