"""Brains: what writes the model's side of the conversation, behind one small interface (`base.Brain`).

Each brain lives in its own module and heavy dependencies are imported lazily, so importing a brain never
loads a model.
"""
