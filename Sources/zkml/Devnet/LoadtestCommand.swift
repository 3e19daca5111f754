import ArgumentParser
import Foundation
import Synchronization
import ZKCompiler
import ZKField
import ZKNode
import ZKNodeCore
import ZKNodeProtocol
import ZKProver
import ZKSetup
import ZKVerifier

extension ZKMLCommand {
    struct Loadtest: ReportingCommand {
        static let configuration = CommandConfiguration(
            commandName: "loadtest",
            abstract: "Drive a devnet with zkml requests at a multiple of the measured proof capacity and account for every accepted request.",
            discussion: """
                Capacity is measured first, in this process and on the same cores: the library's proof and verify times for \
                the model (medians of five). Both nodes share this machine's cores, so 1× is 1 / (proof time + verify time) \
                requests per second: what the library could prove and verify here. Requests are then sent open-loop \
                at MULTIPLE × capacity for --seconds (at most --requests). --kill sends SIGKILL to the inference node (at 40 % \
                of the run) and to the full node (at 70 %) and restarts each. Afterwards every accepted request must end \
                settled, rejected or expired on the full node; any other fate is counted as lost, and the exported log is \
                checked. Exit 0 only when nothing is lost and the log verifies. Loopback only; bounded in requests and time.
                """)
        @Option(help: "The ONNX model.") var onnx = "circuits/mlp_784_128_10/model.onnx"
        @Option(help: "Its calibration inputs.") var calibration = "circuits/mlp_784_128_10/calibration.json"
        @Option(help: "The input of every request.") var input = "circuits/mlp_784_128_10/input.json"
        @Option(help: "The offered load as a multiple of the measured proof capacity.") var multiple: Double = 1
        @Option(help: "How long to send requests, seconds (at most 600).") var seconds: Double = 20
        @Option(help: "At most this many requests (at most 100000).") var requests = 2000
        @Option(help: "The proof deadline in each receipt, seconds.") var deadline: Double = 5
        @Option(help: "Proving workers (default: the number of cores).") var workers: Int?
        @Option(help: "The queue bound, jobs.") var maxQueuedJobs = 64
        @Flag(help: "SIGKILL the inference node and then the full node mid-run, and restart them.") var kill = false
        @Option(help: "Write the queue depth over time as an SVG chart here.") var chart: String?
        @Option(help: "Where to keep the devnet (default: a new temporary directory).") var dir: String?
        @OptionGroup var jsonOutput: JSONOutput
        var json: Bool { jsonOutput.json }

        func validate() throws {
            guard multiple > 0, multiple <= 100 else { throw ValidationError("--multiple must be in (0, 100]") }
            guard seconds > 0, seconds <= 600 else { throw ValidationError("--seconds must be in (0, 600]") }
            guard (1...100_000).contains(requests) else { throw ValidationError("--requests must be in 1...100000") }
        }

        func execute() throws {
            let directory = dir ?? (NSTemporaryDirectory() + "zkml-loadtest-" + randomNonce().prefix(8))
            var options = Devnet.Options(onnx: onnx, calibration: calibration)
            options.proofDeadlineSeconds = deadline
            options.workers = workers
            options.maxQueuedJobs = maxQueuedJobs
            options.maxQueuedSeconds = 3600
            let net = try Devnet(directory: directory, options: options)
            let values = try InputFile(path: input, inputName: nil).rows[0]
            let quiet = json
            let say: @Sendable (String) -> Void = { if !quiet { printError($0) } }
            let run = LoadRun(
                net: net, input: values, multiple: multiple, seconds: seconds, maxRequests: requests, kill: kill,
                maxQueuedJobs: maxQueuedJobs, say: say)
            let report: LoadReport
            let startOptions = options
            do {
                report = try runBlocking {
                    try await net.start(options: startOptions, say: say)
                    return try await run.execute()
                }
            } catch {
                _ = net.stop()
                throw error
            }
            _ = net.stop()
            if let chart { try writeBytes(Array(report.queueChartSVG().utf8), toPath: chart) }
            if json { printNodeJSON(report) } else { print(report.table) }
            if report.lost > 0 || !report.logVerified { throw ExitCode(Failure.rejected) }
        }
    }
}

/// One load run against a started devnet.
struct LoadRun: Sendable {
    let net: Devnet
    let input: [Float]
    let multiple: Double
    let seconds: Double
    let maxRequests: Int
    let kill: Bool
    let maxQueuedJobs: Int
    let say: @Sendable (String) -> Void

    struct Sent: Sendable {
        var requestId: String?
        var status: Int
        var code: String
        var latency: Double
        var issuedAt: Int64
    }

    func execute() async throws -> LoadReport {
        // Capacity: the library's proof time on these cores (median of 5, after one warm-up).
        let build = net.build!, key = net.provingKey!
        let witness = try build.compiled.run(input: input).witness
        let proof = try Prover.prove(provingKey: key, witness: witness)
        /// The median of five timed runs, in seconds.
        func medianSeconds(_ body: () throws -> Void) rethrows -> Double {
            try (0..<5).map { _ in zkml.seconds(try timed(body).1) }.sorted()[2]
        }
        let proofSeconds = try medianSeconds { _ = try Prover.prove(provingKey: key, witness: witness) }
        // The library's verify time, the same way.
        let verifySeconds = try medianSeconds { try Verifier.verify(proof, verificationKey: key.verificationKey, field: Fr.self) }
        let capacity = 1 / (proofSeconds + verifySeconds)
        let rate = multiple * capacity
        let total = min(maxRequests, Int((rate * seconds).rounded(.up)))

        say(String(format: "library proof %.1f ms + verify %.1f ms → capacity %.1f/s; sending %d requests at %.1f/s", proofSeconds * 1000, verifySeconds * 1000, capacity, total, rate))

        let http = NodeHTTPClient(timeoutSeconds: 30)
        // Warm-up: a few requests, one at a time and each to its verdict, so that the node's cost
        // prediction has measured history (its cold-start estimate is a model of release builds).
        for _ in 0..<2 {
            let answer = try await http.post(net.inference.url + "/v1/infer", json: try net.request(mode: .zkml, input: input), as: InferResponse.self)
            _ = try await waitForVerdict(node: net.inference.url, requestID: answer.requestId, timeout: net.deadlineSeconds + 60)
        }
        let sent = SharedBox<[Sent]>([])
        let depth = SharedBox<[[Double]]>([])
        let events = SharedBox<[LoadReport.Event]>([])
        let clock = ContinuousClock()
        let t0 = clock.now
        let elapsed: @Sendable () -> Double = { zkml.seconds(clock.now - t0) }
        let before = await MetricsScrape.fetch(net.inference.url, http: http)

        let t0Wall = nowMilliseconds()
        let (sendEnd, sendEndWall, atSendEnd) = try await withThrowingTaskGroup(of: Void.self) { group in
            // Queue depth sampler.
            group.addTask {
                while elapsed() < seconds + 5 {
                    if let scrape = await MetricsScrape.fetch(net.inference.url, http: http), let jobs = scrape.value("zkml_proof_queue_jobs") {
                        depth.withLock { $0.append([elapsed(), jobs]) }
                    }
                    try await Task.sleep(for: .milliseconds(200))
                }
            }
            // Crashes.
            if kill {
                group.addTask {
                    // SIGKILL a node, restart it, and mark both moments on the chart.
                    func crashAndRestart(_ node: NodeProcess, _ name: String) async throws {
                        events.withLock { $0.append(LoadReport.Event(at: elapsed(), what: "SIGKILL \(name)")) }
                        say("SIGKILL \(name) node (pid \(node.pid))")
                        node.crash()
                        try node.start()
                        try await node.waitReady(seconds: 120)
                        events.withLock { $0.append(LoadReport.Event(at: elapsed(), what: "\(name) back")) }
                    }
                    try await Task.sleep(for: .milliseconds(Int64(seconds * 400)))
                    try await crashAndRestart(net.inference, "inference")
                    try await Task.sleep(for: .milliseconds(Int64(seconds * 300)))
                    try await crashAndRestart(net.full, "full")
                }
            }
            // Open-loop sender.
            for i in 0..<total {
                let due = Double(i) / rate
                let now = elapsed()
                if due > now { try await Task.sleep(for: .milliseconds(Int64((due - now) * 1000))) }
                group.addTask {
                    let envelope = try net.request(mode: .zkml, input: input)
                    let start = clock.now
                    var record = Sent(requestId: nil, status: 0, code: "", latency: 0, issuedAt: 0)
                    do {
                        let answer = try await http.post(net.inference.url + "/v1/infer", json: envelope, as: InferResponse.self)
                        record.requestId = answer.requestId
                        record.status = 201
                        record.code = answer.downgraded ? "downgraded" : "accepted"
                        if let receipt = try? answer.receipt.open(Receipt.self, kind: .receipt) { record.issuedAt = receipt.message.issuedAt }
                    } catch let NodeCallError.refused(status, code, _, _) {
                        record.status = status
                        record.code = code
                    } catch {
                        record.code = "unavailable"
                    }
                    record.latency = zkml.seconds(clock.now - start)
                    sent.withLock { $0.append(record) }
                }
            }
            // The end of the sending window: throughput is measured over it (the sampler runs on for 5 s).
            let end = (elapsed(), nowMilliseconds(), await MetricsScrape.fetch(net.inference.url, http: http))
            try await group.waitForAll()
            return end
        }
        let loadEnd = sendEnd

        // Drain: every accepted request must reach a verdict on the full node.
        let accepted = sent.withLock { $0 }.filter { $0.requestId != nil }
        var fates: [String: RequestStatus] = [:]
        let drainStop = clock.now + .seconds(Int64(net.deadlineSeconds + 60))
        while clock.now < drainStop {
            for request in accepted where fates[request.requestId!]?.isFinal != true {
                if let record = try? await http.get("\(net.full.url)/v1/results/\(request.requestId!)", as: ResultRecord.self) {
                    fates[request.requestId!] = record.status
                }
            }
            if accepted.allSatisfy({ fates[$0.requestId!]?.isFinal == true }) { break }
            try await Task.sleep(for: .milliseconds(500))
        }
        let after = await MetricsScrape.fetch(net.inference.url, http: http)
        let log = try await exportLog(node: net.full.url)
        let logVerified = (try? LogVerifier.verify(log)) != nil
        var decided: [String: Int64] = [:]
        for entry in log.entries { if let s = try? entry.decodedStatement() { decided[s.requestId] = s.decidedAt } }
        let settlement = accepted.compactMap { r -> Double? in
            guard fates[r.requestId!] == .settled, let at = decided[r.requestId!], r.issuedAt > 0 else { return nil }
            return Double(at - r.issuedAt) / 1000
        }
        let all = sent.withLock { $0 }
        // Prediction error and proof counts from the inference node (its counters restart with a killed process).
        let fullMetrics = await MetricsScrape.fetch(net.full.url, http: http)
        let verifyMean = fullMetrics.flatMap { m in m.value("zkml_full_verify_seconds_count").flatMap { $0 > 0 ? (m.value("zkml_full_verify_seconds_sum") ?? 0) / $0 : nil } }
        let proveMean = after.flatMap { m in m.value("zkml_proof_seconds_count").flatMap { $0 > 0 ? (m.value("zkml_proof_seconds_sum") ?? 0) / $0 : nil } }
        let errorSum = after?.value("zkml_proof_prediction_relative_error_sum") ?? 0
        let errorCount = after?.value("zkml_proof_prediction_relative_error_count") ?? 0
        let proofsDuringLoad = kill ? nil : (atSendEnd?.value("zkml_proof_seconds_count")).map { $0 - (before?.value("zkml_proof_seconds_count") ?? 0) }
        let settledDuringLoad = log.entries.compactMap { try? $0.decodedStatement() }
            .filter { $0.verdict == .settled && $0.decidedAt >= t0Wall && $0.decidedAt <= sendEndWall }.count
        return LoadReport(
            multiple: multiple, kill: kill, libraryProofMilliseconds: proofSeconds * 1000, libraryVerifyMilliseconds: verifySeconds * 1000,
            nodeProofMilliseconds: proveMean.map { $0 * 1000 }, nodeVerifyMilliseconds: verifyMean.map { $0 * 1000 },
            nodeProofsPerSecond: proofsDuringLoad.map { $0 / max(loadEnd, 1e-9) },
            abandoned: Int(after?.value("zkml_proof_jobs_abandoned_total") ?? 0),
            capacityPerSecond: capacity, offeredPerSecond: rate,
            sent: all.count, accepted: accepted.filter { $0.code == "accepted" }.count, downgraded: accepted.filter { $0.code == "downgraded" }.count,
            refused429: all.filter { $0.status == 429 }.count, unavailable: all.filter { $0.code == "unavailable" || ($0.status >= 500) }.count,
            otherRefusals: all.filter { $0.requestId == nil && $0.status != 429 && $0.code != "unavailable" && $0.status < 500 }.count,
            loadSeconds: loadEnd,
            settledPerSecond: Double(settledDuringLoad) / max(loadEnd, 1e-9),
            inferenceP50Milliseconds: percentile(accepted.map(\.latency), 0.5) * 1000,
            inferenceP99Milliseconds: percentile(accepted.map(\.latency), 0.99) * 1000,
            settlementP50Milliseconds: percentile(settlement, 0.5) * 1000, settlementP99Milliseconds: percentile(settlement, 0.99) * 1000,
            maxQueueDepth: Int(depth.withLock { $0 }.map { $0[1] }.max() ?? 0), queueBound: maxQueuedJobs,
            predictionErrorMean: errorCount > 0 ? errorSum / errorCount : nil,
            settled: fates.values.filter { $0 == .settled }.count, rejected: fates.values.filter { $0 == .rejected }.count,
            expired: fates.values.filter { $0 == .expired }.count, lost: accepted.filter { fates[$0.requestId!]?.isFinal != true }.count,
            logEntries: log.entries.count, logVerified: logVerified,
            queueSamples: depth.withLock { $0 }, events: events.withLock { $0 })
    }
}

func percentile(_ values: [Double], _ p: Double) -> Double {
    guard !values.isEmpty else { return 0 }
    let sorted = values.sorted()
    return sorted[min(sorted.count - 1, Int((Double(sorted.count) * p).rounded(.up)) - 1 < 0 ? 0 : Int((Double(sorted.count) * p).rounded(.up)) - 1)]
}

/// A value shared by concurrent tasks, behind a lock.
final class SharedBox<Value: Sendable>: Sendable {
    private let mutex: Mutex<Value>
    init(_ value: Value) { mutex = Mutex(value) }
    func withLock<R>(_ body: (inout Value) -> R) -> R { mutex.withLock { body(&$0) } }
}
