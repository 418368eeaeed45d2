"""The inspector's views: each a widget that listens to the Controller and renders."""
