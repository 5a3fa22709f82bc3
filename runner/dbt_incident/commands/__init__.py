"""Click commands, one module each. They parse options, call one library function and render."""
