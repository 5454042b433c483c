"""Training a spaCy pipeline from the decisions a person made (``newsread train``).

A pure library: it gets the decided articles handed over (it never opens the store), and
hands back a trained pipeline with its scores.  The command line reads the store, shows
progress and writes the model; the app may run that command in a separate process.

* :mod:`annotate.learn.examples` -- what a person decided, as spaCy ``Example`` objects
  (done articles complete, in-progress ones with the undecided tokens *missing*);
* :mod:`annotate.learn.heldout` -- the fixed evaluation set of done articles;
* :mod:`annotate.learn.scoring` -- per-label precision, recall and F of a pipeline;
* :mod:`annotate.learn.training` -- the training loop, under a time budget;
* :mod:`annotate.learn.models` -- trained pipelines in a folder, with their meta.
"""
