"""The user's images: scanning class folders (headers only), checking each file before Pillow opens
it, decoding once, and the decoded-image cache. Reads the user's folders; never writes them."""
