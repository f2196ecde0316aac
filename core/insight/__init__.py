"""Looking inside: why a model decides (Grad-CAM) and whether the data can be trusted (audit)."""
