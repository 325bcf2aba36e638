"""What every replication of one :class:`SimulationInput` shares: node layout, travel times, physiology.

Physiology (the death rule used by the simulator, the bounds and the policies), with ``m`` the minutes from a
casualty's release to the start of definitive care and ``RPM(m)`` its deteriorated RPM by the Sacco table
(:func:`jedel.core.survival.rpm_at`, a step function, Sacco et al. 2005):

* **died waiting**: ``RPM(m)`` reaches 0 before care starts. RPM 0 codes no breathing, no pulse and no motor
  response, which START tags black (dead), so the casualty is dead from the first table column at which
  the RPM is 0 (at release when the scene RPM is 0). Those minutes are known in advance:
  :attr:`Network.death_after_min`.
* **treated**: care starting after ``m`` minutes with ``RPM(m) >= 1`` is survived with probability
  ``survival_by_rpm[RPM(m)]``. The draw uses one uniform ``u`` per casualty and replication: the casualty dies
  iff ``u < 1 - survival_by_rpm[RPM(m)]``. The same ``u`` serves every policy and both bounds, so outcomes
  are monotone in ``m`` path by path (earlier care never kills, later care never saves).
* The **death risk** ``q(m)`` is 1 when ``RPM(m) = 0`` and ``1 - survival_by_rpm[RPM(m)]`` otherwise; it is
  non-decreasing in ``m``; ``sum q`` gives expected deaths.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from jedel.core.simulation.inputs import SimulationInput
from jedel.core.survival.models import step_column_index
from jedel.core.survival.parameters import RPM_MAX


@dataclass(frozen=True)
class Physiology:
    """RPM deterioration and death risk, vectorised over initial RPM and minutes since release.

    Attributes:
        rpm_by_column: RPM per initial RPM (rows) and table column (column 0 = scene value).
        survival_by_rpm: survival with definitive care by current RPM (13 values).
        first_column_min: minutes at which column 1 applies.
        step_min: minutes between columns.
    """

    rpm_by_column: NDArray[np.intp]
    survival_by_rpm: NDArray[np.float64]
    first_column_min: float
    step_min: float

    def rpm_now(self, rpm0: ArrayLike, minutes: ArrayLike) -> NDArray[np.intp]:
        """RPM after ``minutes`` without care (broadcast)."""
        col = step_column_index(minutes, self.first_column_min, self.step_min, self.rpm_by_column.shape[1])
        result: NDArray[np.intp] = self.rpm_by_column[np.asarray(rpm0, dtype=np.intp), col]
        return result

    def death_risk(self, rpm0: ArrayLike, minutes: ArrayLike) -> NDArray[np.float64]:
        """``q(m)``: 1 if the RPM has reached 0, else ``1 - survival_by_rpm[RPM(m)]`` (broadcast)."""
        rpm = self.rpm_now(rpm0, minutes)
        result: NDArray[np.float64] = np.where(rpm == 0, 1.0, 1.0 - self.survival_by_rpm[rpm])
        return result

    def zero_after_min(self) -> NDArray[np.float64]:
        """Minutes from release at which each initial RPM reaches 0 (inf when it never does)."""
        n_col = self.rpm_by_column.shape[1]
        start = np.concatenate([[0.0], self.first_column_min + self.step_min * np.arange(n_col - 1)])
        zero = self.rpm_by_column == 0
        first = np.argmax(zero, axis=1)
        result: NDArray[np.float64] = np.where(zero.any(axis=1), start[first], np.inf)
        return result


@dataclass(frozen=True)
class Network:
    """Static data of one input, shared by all replications.

    Nodes are numbered scenes first, then hospitals, then stations.

    Attributes:
        travel_min: road minutes between nodes (rows: from).
        hospital_node, scene_node_of_casualty: node numbers.
        ambulance_station_node: home node of each ambulance (stations expanded by count).
        direct_min: minutes from each casualty's scene to its nearest hospital (the uncapacitated bound).
        death_after_min: minutes after onset at which each casualty's RPM reaches 0 (inf: never).
        physiology: the death rule (module docstring).
        start_rank: each casualty's place in START priority order (category, then release minute, then
            index): the policies' pick is the waiting casualty of lowest rank, without sorting at every dispatch.
    """

    inp: SimulationInput
    travel_min: NDArray[np.float64]
    hospital_node: NDArray[np.intp]
    scene_node_of_casualty: NDArray[np.intp]
    ambulance_station_node: NDArray[np.intp]
    direct_min: NDArray[np.float64]
    death_after_min: NDArray[np.float64]
    physiology: Physiology
    release_min: NDArray[np.float64]
    rpm0: NDArray[np.intp]
    category: NDArray[np.int8]
    start_rank: NDArray[np.intp]


def build_network(inp: SimulationInput) -> Network:
    """Lay out nodes, compute the road travel matrix and each casualty's RPM-0 minute."""
    scene_lat = np.asarray(inp.scene_lat_deg, dtype=np.float64)
    hosp_lat = np.asarray(inp.hospital_lat_deg, dtype=np.float64)
    lat = np.concatenate([scene_lat, hosp_lat, np.asarray(inp.station_lat_deg, dtype=np.float64)])
    lon = np.concatenate([
        np.asarray(inp.scene_lon_deg, dtype=np.float64),
        np.asarray(inp.hospital_lon_deg, dtype=np.float64),
        np.asarray(inp.station_lon_deg, dtype=np.float64),
    ])
    travel = inp.speeds.travel_matrix_min(lat, lon)
    n_s, n_h = scene_lat.shape[0], hosp_lat.shape[0]
    hospital_node = np.arange(n_s, n_s + n_h, dtype=np.intp)
    counts = np.asarray(inp.station_ambulances, dtype=np.intp)
    station_node = np.repeat(np.arange(n_s + n_h, n_s + n_h + counts.shape[0], dtype=np.intp), counts)
    scene = np.asarray(inp.casualty_scene, dtype=np.intp)
    params = inp.parameters
    det = np.asarray(params.deterioration_by_rpm, dtype=np.intp)
    physiology = Physiology(
        rpm_by_column=np.concatenate([np.arange(RPM_MAX + 1, dtype=np.intp)[:, None], det], axis=1),
        survival_by_rpm=np.asarray(params.survival_by_rpm, dtype=np.float64),
        first_column_min=params.first_column_min,
        step_min=params.step_min,
    )
    release = np.asarray(inp.casualty_release_min, dtype=np.float64)
    rpm0 = np.asarray(inp.casualty_rpm, dtype=np.intp)
    category = np.asarray(inp.casualty_category, dtype=np.int8)
    start_rank = np.empty(category.size, dtype=np.intp)
    start_rank[np.lexsort((np.arange(category.size), release, category))] = np.arange(category.size)
    return Network(
        inp=inp,
        travel_min=travel,
        hospital_node=hospital_node,
        scene_node_of_casualty=scene,
        ambulance_station_node=station_node,
        direct_min=travel[scene][:, hospital_node].min(axis=1) if scene.size else np.zeros(0),
        death_after_min=release + physiology.zero_after_min()[rpm0],
        physiology=physiology,
        release_min=release,
        rpm0=rpm0,
        category=category,
        start_rank=start_rank,
    )
