import ZKParallel
import Testing
import ZKPoly

@Suite("Parallel loops")
struct ParallelTests {
    @Test("chunks partition the index range, in order")
    func partition() {
        for count in [1, 7, 100, 4096, 10_000] {
            for chunks in [1, 2, 3, 8] where chunks <= count {
                let ranges = (0..<chunks).map { chunkRange($0, of: chunks, count: count) }
                #expect(ranges.first!.lowerBound == 0 && ranges.last!.upperBound == count)
                for k in 1..<ranges.count { #expect(ranges[k].lowerBound == ranges[k - 1].upperBound) }
                #expect(ranges.allSatisfy { $0.count >= count / chunks && $0.count <= count / chunks + 1 })
            }
        }
    }

    @Test("parallelChunks visits every index exactly once")
    func visitsOnce() {
        let count = 50_000
        var hits = [Int](repeating: 0, count: count)
        hits.withUnsafeMutableBufferPointer { buffer in
            let p = buffer.baseAddress!
            Parallelism.$threadLimit.withValue(2) {
                parallelChunks(count: count, minimumChunk: 100) { range in for i in range { p[i] += 1 } }
            }
        }
        #expect(hits.allSatisfy { $0 == 1 })
        let sums: [Int] = parallelMapChunks(count: count, minimumChunk: 100) { (range: Range<Int>) -> Int in
            range.reduce(0, +)
        }
        let total: Int = sums.reduce(0, +)
        #expect(total == count * (count - 1) / 2)
    }

    @Test("an in-place halving pass in parallel waves equals the serial pass")
    func halvingWaves() {
        let count = 10_000
        let input: [Int] = (0..<count).map { (i: Int) -> Int in (i &* 2_654_435_761) % 1_000_003 }
        let expected: [Int] = (0..<(count / 2)).map { (i: Int) -> Int in input[2 * i] &* 3 &+ input[2 * i + 1] }
        for minimumChunk in [1, 3, 64, 10_000] {
            var values = input
            let visited = values.withUnsafeMutableBufferPointer { buffer in
                let p = buffer.baseAddress!
                return Parallelism.$threadLimit.withValue(2) {
                    inPlaceHalvingMap(outputCount: count / 2, minimumChunk: minimumChunk) { range in
                        for i in range { p[i] = p[2 * i] &* 3 &+ p[2 * i + 1] }
                        return range.count
                    }
                }
            }
            let total: Int = visited.reduce(0, +)
            #expect(total == count / 2)
            #expect(Array(values[..<(count / 2)]) == expected, "minimumChunk \(minimumChunk)")
        }
    }
}
