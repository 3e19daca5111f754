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
        "test_maxpool_with_argmax_2d_precomputed_pads": "MaxPool's Indices output is not supported",
        "test_layer_normalization_default_axis":
            "LayerNormalization's Mean and InvStdDev outputs are graph outputs (the *_y_only cases drop them)",
        "test_pow": "a per-element exponent (Pow is an element-wise function of a constant scalar exponent)",
        "test_pow_example": "a per-element exponent (Pow is an element-wise function of a constant scalar exponent)",
        "test_pow_bcast_array": "a per-element exponent (Pow is an element-wise function of a constant scalar exponent)",
        "test_operator_pow": "Pow of two computed tensors",
        "test_convtranspose_3d": "3-D ConvTranspose: only 1-D and 2-D are supported",
        "test_resize_downsample_sizes_nearest_not_smaller":
            "keep_aspect_ratio_policy not_smaller with a size round(scale · d) above floor(scale · d) (Selection takes scales or sizes, not both)",
        "test_resize_upsample_scales_linear": "Resize in linear mode: only nearest is supported",
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
        #expect(passed >= (group == "onnx-node" ? 375 : 75), "only \(passed) cases passed in \(group)")
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
