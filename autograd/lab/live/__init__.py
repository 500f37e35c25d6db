"""Watch a network learn: live curves, decision boundary, gradient norms, one sample's graph."""
