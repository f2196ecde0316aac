"""Turning a backbone and a folder of images into a trained model: the network with its new head
and freeze point (model), the two-phase trainer, the speed-ups that make later epochs cheap (the
frozen-feature cache and the graph cuts it needs, the tf.data pipeline), embeddings + a classic
classifier, precise BatchNorm, and the unfamiliar-image calibration saved with every model."""
