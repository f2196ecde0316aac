"""Auto: the search that picks backbone, method, feature layer / freeze point, learning rate,
augmentation and epochs for a lab's images within a time budget (issue 19). Entry point:
:func:`core.auto.search.run_auto`. Selection is by repeated stratified k-fold cross-validation on
the training images only; the images held out for validation are never seen by the search."""
