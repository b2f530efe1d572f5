"""The learned event classifier: its corpus, features, model and training."""

from khaldun.classify.model import EventClassifier, Prediction

__all__ = ["EventClassifier", "Prediction"]
