import Dispatch
import Foundation
import Synchronization

/// Runs a `SentenceEncoder` on threads it owns (never the cooperative pool) and batches
/// concurrent requests: a worker that comes free takes every queued request, in arrival order,
/// up to `maxBatch` texts, and runs them through one forward pass. Under light load a request
/// runs alone at once; under heavy load batches grow, which is where sgemm is efficient.
///
/// Each request's continuation is resumed exactly once: by the worker that ran it, or with
/// `executorShutDown` when it arrives after `shutdown()` or was still queued then. Call
/// `shutdown()` before dropping the executor: its threads run until then.
public final class EncoderExecutor: Sendable {
    struct Job: Sendable {
        let texts: [String]
        let continuation: CheckedContinuation<[[Float]], any Error>
    }

    public let encoder: SentenceEncoder
    public let threadCount: Int
    public let maxBatch: Int
    private let queue = Mutex(EncoderQueue<Job>())
    /// Signalled once per submitted job and once per thread at shutdown; a worker that wakes to
    /// an empty queue waits again.
    private let wake = DispatchSemaphore(value: 0)
    private let running = DispatchGroup()

    public init(encoder: SentenceEncoder, threads: Int = 1, maxBatch: Int = 32) {
        self.encoder = encoder
        self.threadCount = max(threads, 1)
        self.maxBatch = max(maxBatch, 1)
        for index in 0..<threadCount {
            running.enter()
            let thread = Thread { [self] in
                runWorker()
                running.leave()
            }
            thread.name = "ai-worker.encoder.\(index)"
            thread.start()
        }
    }

    /// Unit-length embeddings of `texts`, in order.
    /// - Throws: `SentenceEncoderError` `executorShutDown` after `shutdown()`.
    public func embed(_ texts: [String]) async throws -> [[Float]] {
        guard !texts.isEmpty else { return [] }
        return try await withCheckedThrowingContinuation { continuation in
            let action = queue.withLock { $0.submit(Job(texts: texts, continuation: continuation), size: texts.count) }
            switch action {
            case .wakeWorker: wake.signal()
            case .reject(let job): job.continuation.resume(throwing: Self.shutDownError)
            }
        }
    }

    /// Fails queued requests, lets running batches finish, and returns when every thread ended.
    /// Idempotent.
    public func shutdown() async {
        let abandoned = queue.withLock { $0.shutDown() }
        for job in abandoned { job.continuation.resume(throwing: Self.shutDownError) }
        for _ in 0..<threadCount { wake.signal() }
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            running.notify(queue: .global()) { continuation.resume() }
        }
    }

    private static let shutDownError = SentenceEncoderError(.executorShutDown, subject: "encoder executor")

    private func runWorker() {
        let workspace = EncoderWorkspace()
        while true {
            wake.wait()
            switch queue.withLock({ $0.next(maxItems: maxBatch) }) {
            case .wait:
                continue
            case .exit:
                return
            case .run(let jobs):
                let tokenized = jobs.flatMap { $0.texts.map { encoder.tokenizer.tokenize($0).ids } }
                var embeddings = encoder.embed(tokenized: tokenized, workspace: workspace, maxBatch: maxBatch)[...]
                for job in jobs {
                    job.continuation.resume(returning: Array(embeddings.prefix(job.texts.count)))
                    embeddings = embeddings.dropFirst(job.texts.count)
                }
            }
        }
    }
}
