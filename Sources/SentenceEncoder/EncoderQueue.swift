/// The executor's queue as a state machine without I/O: jobs wait in arrival order, a worker takes
/// as many as fit one batch, and shutdown hands back what never ran. `EncoderExecutor` performs
/// the actions (wake a worker, fail a job) after releasing its lock.
struct EncoderQueue<Job> {
    enum SubmitAction {
        /// Queued: wake one worker.
        case wakeWorker
        /// After shutdown: fail the job.
        case reject(Job)
    }

    enum NextAction {
        /// Jobs in arrival order whose sizes add up to at most `maxItems` (or one larger job).
        case run([Job])
        /// Nothing queued: wait for the next wake-up.
        case wait
        /// Shut down and nothing queued: the worker ends.
        case exit
    }

    private var pending: [(job: Job, size: Int)] = []
    private var head = 0
    private(set) var isShutDown = false

    var queuedCount: Int { pending.count - head }

    mutating func submit(_ job: Job, size: Int) -> SubmitAction {
        guard !isShutDown else { return .reject(job) }
        pending.append((job, size))
        return .wakeWorker
    }

    mutating func next(maxItems: Int) -> NextAction {
        guard head < pending.count else { return isShutDown ? .exit : .wait }
        var batch = [pending[head].job]
        var items = pending[head].size
        head += 1
        while head < pending.count, items + pending[head].size <= maxItems {
            batch.append(pending[head].job)
            items += pending[head].size
            head += 1
        }
        compact()
        return .run(batch)
    }

    /// Later submissions are rejected and idle workers exit; returns the queued jobs to fail.
    mutating func shutDown() -> [Job] {
        isShutDown = true
        let abandoned = pending[head...].map(\.job)
        pending.removeAll()
        head = 0
        return abandoned
    }

    private mutating func compact() {
        if head == pending.count {
            pending.removeAll(keepingCapacity: true)
            head = 0
        } else if head > 64, head * 2 > pending.count {
            pending.removeFirst(head)
            head = 0
        }
    }
}
