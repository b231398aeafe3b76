"""Reference implementation of GrowthBench's iteration simulation in SimPy, for the speed benchmark.

Reads the task graph GrowthBench exports (`growthbench bench-sim --export-graph FILE`): resources, and per task
its resource (-1 = none), duration and dependencies. Each task is a SimPy process that waits for its
dependencies, requests its resource (one task at a time, first come first served), holds it for its duration and
releases it. This is the same 1F1B pipeline model GrowthBench's engine runs, so the makespans must agree.
Events are counted as GrowthBench counts them: one start and one finish per task.
"""
import json
import sys
import time

import simpy


def simulate(graph):
    env = simpy.Environment()
    resources = [simpy.Resource(env, capacity=1) for _ in range(graph["resources"])]
    tasks = graph["tasks"]
    done = [env.event() for _ in tasks]

    def task(i, resource, duration, deps):
        if deps:
            yield simpy.AllOf(env, [done[d] for d in deps])
        if resource >= 0:
            with resources[resource].request() as req:
                yield req
                yield env.timeout(duration)
        else:
            yield env.timeout(duration)
        done[i].succeed()

    for i, (resource, duration, deps) in enumerate(tasks):
        env.process(task(i, resource, duration, deps))
    env.run()
    return env.now


def main():
    path = sys.argv[1]
    min_seconds = float(sys.argv[2]) if len(sys.argv) > 2 else 2.0
    with open(path) as f:
        graph = json.load(f)
    runs, makespan = 0, 0.0
    start = time.perf_counter()
    while True:
        makespan = simulate(graph)
        runs += 1
        if time.perf_counter() - start >= min_seconds:
            break
    per_run = (time.perf_counter() - start) / runs
    events = 2 * len(graph["tasks"])
    print(json.dumps({"tasks": len(graph["tasks"]), "events": events, "runs": runs, "secondsPerRun": per_run,
                      "eventsPerSecond": events / per_run, "makespan": makespan, "simpy": simpy.__version__}))


if __name__ == "__main__":
    main()
