"""The web chat widget: its files (public/), its npm pins, and the server of the demo page (`serve`)."""
