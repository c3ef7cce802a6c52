"""The layers contract for production code only.

import-linter's `layers` contract reads every module under the root package, and SafeSocial keeps each app's tests
inside the app (`safesocial/<app>/tests/`). Tests build whole trusts across every floor, so they stand outside the
house: this contract drops the modules named in `outside` (and everything under them) from the graph before the
ordinary layers check runs. Nothing else changes: no import is excused, only test code is left out."""

from __future__ import annotations

import grimp
from importlinter.contracts.layers import LayersContract
from importlinter.domain import fields
from importlinter.domain.contract import ContractCheck
from importlinter.domain.helpers import module_expressions_to_modules


class ProductionLayersContract(LayersContract):
    outside = fields.ListField(subfield=fields.ModuleExpressionField())

    def check(self, graph: grimp.ImportGraph, verbose: bool) -> ContractCheck:
        for module in module_expressions_to_modules(graph, self.outside):  # type: ignore[arg-type]
            for name in {module.name} | graph.find_descendants(module.name):
                if name in graph.modules:
                    graph.remove_module(name)
        return super().check(graph, verbose)
