"""The one list of stages. Everything that differs per stage is named here, once.

Modules are given by their full dotted path and imported only when a stage needs them, so
``claimreport --help`` and a cached rebuild load none of the heavy libraries a stage uses.
Nothing else in the package finds a stage by building a module name from a string.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import import_module
from types import ModuleType

__all__ = ["StageSpec", "STAGES", "STAGE_NAMES", "stage_spec"]


@dataclass(frozen=True)
class StageSpec:
    """A stage of the project.

    ``compute``: module with ``preflight(loaded, config)`` and ``compute(loaded, config)``;
    ``result``: ``"module:Class"`` of its typed result; ``figures``: module with
    ``specs(result)``; ``narrative``: module with ``title(result)`` and ``executive(bundle)``;
    ``template``: its Jinja2 template; ``course``: the course the stage comes from;
    ``settings``: the top-level config keys its result depends on (its fingerprint);
    ``reads``: stages whose results its report reads (so their changes re-render it).
    """

    name: str
    course: int
    compute: str
    result: str
    figures: str
    narrative: str
    template: str
    settings: tuple[str, ...] = ()
    reads: tuple[str, ...] = ()

    def compute_module(self) -> ModuleType:
        return import_module(self.compute)

    def result_class(self) -> type:
        module, cls = self.result.split(":")
        return getattr(import_module(module), cls)

    def figures_module(self) -> ModuleType:
        return import_module(self.figures)

    def narrative_module(self) -> ModuleType:
        return import_module(self.narrative)


STAGES: dict[str, StageSpec] = {s.name: s for s in (
    StageSpec("eda", 3, "claimreport.stages.eda", "claimreport.results.eda:EdaResult",
              "claimreport.figures.eda", "claimreport.render.narrative.eda", "eda.html.j2",
              settings=("eda", "random_state", "sample_rows")),
    StageSpec("hypothesis", 4, "claimreport.stages.hypothesis",
              "claimreport.results.hypothesis:HypothesisResult", "claimreport.figures.hypothesis",
              "claimreport.render.narrative.hypothesis", "hypothesis.html.j2",
              settings=("hypothesis", "random_state", "sample_rows")),
    StageSpec("regression", 5, "claimreport.stages.regression",
              "claimreport.results.regression:RegressionResult", "claimreport.figures.regression",
              "claimreport.render.narrative.regression", "regression.html.j2",
              settings=("regression", "random_state", "protocol", "sample_rows"),
              reads=("hypothesis",)),
    StageSpec("modeling", 6, "claimreport.stages.modeling",
              "claimreport.results.modeling:ModelingResult", "claimreport.figures.modeling",
              "claimreport.render.narrative.modeling", "modeling.html.j2",
              settings=("modeling", "random_state", "protocol", "sample_rows")),
)}

#: Stages in the order the project runs them; ``render --stage all`` renders these.
STAGE_NAMES: tuple[str, ...] = tuple(STAGES)


def stage_spec(name: str) -> StageSpec:
    """The :class:`StageSpec` of *name* (KeyError for an unknown stage)."""
    return STAGES[name]
