"""One module per command; each stays thin: options → I/O → domain → I/O."""
