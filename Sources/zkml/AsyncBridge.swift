import Dispatch
import Foundation
import Synchronization
import ZKNodeProtocol

/// Runs async work from the synchronous command entry point and waits for it (the `zkml` root
/// command is synchronous; the node and client commands are async).
func runBlocking<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) throws -> T {
    let box = Mutex<Result<T, any Error>?>(nil)
    let done = DispatchSemaphore(value: 0)
    Task {
        let result: Result<T, any Error>
        do { result = .success(try await body()) } catch { result = .failure(error) }
        box.withLock { $0 = result }
        done.signal()
    }
    done.wait()
    return try box.withLock { $0! }.get()
}

/// Prints a node API value as one line of JSON in the API's spelling (snake_case keys).
func printNodeJSON(_ value: any Encodable) {
    guard let data = try? NodeJSON.encode(value) else {
        printJSON(FailureReport())
        return
    }
    FileHandle.standardOutput.write(data + Data("\n".utf8))
}
