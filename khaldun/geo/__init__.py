"""The gazetteer: GeoNames (CC-BY 4.0) plus analyst supplements, offline and indexed.

``Gazetteer.open()`` gives the packaged default merged with what the user added;
``khaldun.extract.places.PlaceFinder`` uses it to resolve place mentions.
"""

from khaldun.geo.gazetteer import Candidate, Gazetteer

__all__ = ["Candidate", "Gazetteer"]
