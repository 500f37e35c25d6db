"""Speed and memory of the engine, side by side with micrograd, as ratios (`make bench`)."""
