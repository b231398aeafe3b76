import Testing
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import ScenarioSim
@testable import RunCost
import Reporting

@Suite struct ShapesAndReportTests {
    /// FLM-101B Figure 1: linear growth saves exactly 50% of the FLOPs; super-linear more, sub-linear less.
    @Test func growthShapes() throws {
        let scenario = Fixtures.scenario("flm-101b-growth.yaml")
        let system = try ScenarioSimulator.system(for: scenario, in: Fixtures.systems)
        let rates = try Estimator.rates(scenario, system: system)
        let r = GrowthShapes.report(scenario: scenario.name, rates: rates, tokens: scenario.stages.map(\.tokens))
        let linear = try #require(r.shapes.first { $0.name == "linear" })
        #expect(linear.continuousFlopSaving == 0.5)
        let sub = try #require(r.shapes.first { $0.name == "sub-linear" }), sup = try #require(r.shapes.first { $0.name == "super-linear" })
        #expect(sub.continuousFlopSaving < 0.5 && sup.continuousFlopSaving > 0.5)
        #expect(sub.staircaseFlopSaving < linear.staircaseFlopSaving && linear.staircaseFlopSaving < sup.staircaseFlopSaving)
        for s in r.shapes { #expect(abs(s.tokenShares.reduce(0, +) - 1) < 1e-9) }
        // FLM-101B's own schedule is "aggressive", i.e. super-linear, saving ~72% (paper §2.3).
        #expect(r.scenarioEquivalentExponent > 1)
        let own = try #require(r.shapes.last)
        #expect(abs(own.staircaseFlopSaving - 0.726) < 0.02)
    }

    /// The report opens in a real headless Chromium with every chart laid out and no console errors.
    @Test func reportRendersInHeadlessChromium() throws {
        let chromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].first { FileManager.default.isExecutableFile(atPath: $0) }
        let browser = try #require(chromium, "Chromium is installed by `make test` (scripts/install-deps.sh chromium)")
        let refs = Fixtures.references
        let a = try Estimator.estimate(Fixtures.scenario("flm-101b-growth.yaml"), systems: Fixtures.systems, references: refs)
        let b = try Estimator.estimate(Fixtures.scenario("flm-101b-scratch.yaml"), systems: Fixtures.systems, references: refs)
        let html = HTMLReport.render(a, versus: b, comparison: RunComparison(a: a, b: b, references: refs, paper: "flm-101b"),
                                     gantts: [("demo", "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\"><rect width=\"10\" height=\"10\"/></svg>")])
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("gb-report-\(UUID())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let page = dir.appendingPathComponent("index.html")
        try html.write(to: page, atomically: true, encoding: .utf8)

        let p = Process()
        p.executableURL = URL(fileURLWithPath: browser)
        p.arguments = ["--headless", "--no-sandbox", "--disable-gpu", "--enable-logging=stderr", "--v=0",
                       "--user-data-dir=\(dir.appendingPathComponent("profile").path)", "--dump-dom", page.absoluteString]
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        let dom = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let log = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        #expect(dom.contains("data-rendered=\"ok\""), "the page's self-check did not pass")
        #expect(dom.contains("data-charts=\"5\""))
        let consoleErrors = log.split(separator: "\n").filter { $0.contains("CONSOLE") || $0.contains("Uncaught") }
        #expect(consoleErrors.isEmpty, "console: \(consoleErrors)")
    }

    @Test func svgChartsAreWellFormedXML() throws {
        let scenario = Fixtures.scenario("flm-101b-growth.yaml")
        let a = try Estimator.estimate(scenario, systems: Fixtures.systems, references: nil)
        let html = HTMLReport.render(a, gantts: [])
        // Every <svg>…</svg> block parses as XML on its own (standalone SVG files must too).
        var rest = Substring(html)
        var count = 0
        while let start = rest.range(of: "<svg"), let end = rest.range(of: "</svg>", range: start.upperBound..<rest.endIndex) {
            let svg = String(rest[start.lowerBound..<end.upperBound])
            let parser = XMLParser(data: Data(svg.utf8))
            #expect(parser.parse(), "malformed SVG: \(parser.parserError.map { "\($0)" } ?? "")")
            rest = rest[end.upperBound...]
            count += 1
        }
        #expect(count == 4)
    }
}

@Suite struct MeasuredSectionTests {
    /// A measured comparison (mini schedules trained on this machine) appears next to the simulator's, with its charts.
    @Test func reportShowsTheMeasuredComparisonWhenGiven() throws {
        let scenario = Fixtures.scenario("flm-101b-growth.yaml")
        let a = try Estimator.estimate(scenario, systems: Fixtures.systems, references: nil)
        let chart = SVGChart.line(title: "measured", xLabel: "tokens", yLabel: "BPB",
                                  series: [.init(name: "growth", points: [(0, 3), (1, 2)], colour: "#000")])
        let html = HTMLReport.render(a, gantts: [], measured: (text: "At equal tokens: 74.1% <saving>", charts: [chart]))
        #expect(html.contains("measured by the trainer on this machine"))
        #expect(html.contains("74.1% &lt;saving&gt;"))
        #expect(html.components(separatedBy: "<svg").count - 1 == 5)
        #expect(!HTMLReport.render(a, gantts: []).contains("measured by the trainer"))
    }
}
