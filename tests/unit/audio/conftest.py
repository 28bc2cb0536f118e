"""Audio tests import the shared fakes through the ``tests`` package (pytest ``pythonpath``)."""
