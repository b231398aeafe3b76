import Foundation
import Testing
@testable import Validation

/// The runs `validate --shard` spreads over a job array are exactly the runs `validate` looks up afterwards.
struct ValidationUnitsTests {
    @Test func tinySuiteListsEveryRunOnceInOrder() throws {
        let path = #filePath.replacingOccurrences(of: "Tests/ValidationTests/ValidationUnitsTests.swift",
                                                  with: "Scenarios/mini/tiny-validation.yaml")
        let suite = try ValidationSuite.load(path: path)
        let units = try ValidationUnits.all(suite)
        #expect(units.map(\.label) == ["step_time 1x16", "step_time 2x32", "loss proxy w16", "loss proxy w32", "loss proxy w48",
                                       "loss proxy w64", "loss target w96"])
        #expect(units.map(\.config.model.hidden) == [16, 32, 16, 32, 48, 64, 96])
        #expect(units[1].config.model.layers == 2 && units[1].config.training.steps == 4)
        // Distinct experiments, so each shard's database holds different runs.
        #expect(Set(units.map(\.config.runLabel)).count == units.count)
        // The step-time runs are the configs ValidationRunner prices and looks up (same derivation, same label).
        let again = try ValidationRunner.shapeConfig(units[2].config, layers: 1, hidden: 16, steps: 4)
        #expect(again.runLabel == units[0].config.runLabel)
        #expect(units[0].config.name == "tiny-proxy-1x16")
    }
}
