"""The backprop lab: one viewer for a graph, in a notebook, a browser or a static file."""
