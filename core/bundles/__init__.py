"""The model in use: the bundle folder (saved atomically, read with bounds), prediction and
evaluation. Everything here works from a saved bundle as well as from a just-trained model."""
