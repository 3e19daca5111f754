import Foundation
import Testing
import ZKModel
import ZKONNX

/// ONNX's own node tests (generated from the onnx package, Fixtures/onnx-node) and the
/// pytorch-converted tests the onnx wheel ships (Fixtures/onnx-pytorch): the importer plus the
/// float executor must reproduce the expected outputs, except for the cases listed here.
@Suite("ONNX backend tests")
struct BackendNodeTests {
    /// Cases that are expected not to pass, and why. The test fails if one of them starts
    /// passing (so the list stays accurate) or if any other case fails.
    static let expectedFailures: [String: String] = [
        "test_averagepool_1d_default": "1-D pooling: only 2-D pooling over [N, C, H, W] is supported",
        "test_maxpool_1d_default": "1-D pooling: only 2-D pooling over [N, C, H, W] is supported",
        "test_maxpool_with_argmax_2d_precomputed_pads": "MaxPool's Indices output is not supported",
    ]

    static func check(group: String) throws {
        var unexpected: [String] = []
        var passed = 0
        for directory in try Fixtures.cases(group) {
            let testCase = try BackendCase(directory: directory)
            let failure = testCase.run()
            switch (failure, Self.expectedFailures[testCase.name]) {
            case (nil, nil):
                passed += 1
            case (nil, .some):
                unexpected.append("\(testCase.name): passes but is listed as an expected failure")
            case (.some(let reason), nil):
                unexpected.append("\(testCase.name): \(reason)")
            case (.some, .some):
                break
            }
        }
        #expect(unexpected.isEmpty, "\(unexpected.count) unexpected results:\n\(unexpected.joined(separator: "\n"))")
        #expect(passed > 0)
        // Keep the corpus from silently shrinking.
        #expect(passed >= (group == "onnx-node" ? 141 : 18), "only \(passed) cases passed in \(group)")
    }

    @Test("ONNX node tests")
    func nodeTests() throws {
        try Self.check(group: "onnx-node")
    }

    @Test("pytorch-converted tests")
    func pytorchTests() throws {
        try Self.check(group: "onnx-pytorch")
    }
}
