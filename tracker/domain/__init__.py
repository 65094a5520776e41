"""The domain: plain Python over plain data. Nothing here imports the store or a screen."""
