"""The typed requests and replies of each operation that crosses the pipe, one module per
operation (core/engine/requests/<operation>.py). TensorFlow-free: the window imports them."""
