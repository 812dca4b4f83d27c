"""Generator of the SDK's code from openapi.json (run it as ``scripts/generate-python-models.py``).

Modules: ``paths`` and ``tables`` (inputs and hand-kept compatibility tables), ``spec``
(reading the document), ``pytypes`` (annotations), ``hoist`` (typed models through
datamodel-code-generator), ``emit_api`` / ``emit_operations`` / ``emit_typed`` (one per
output) and ``build`` (runs them all and formats the result).
"""
