import Glibc

/// The strings and arrays a flat C configuration points into: built in full before clone, since the child
/// may not allocate, and freed when the arena goes.
final class CArena {
    private var releases: [() -> Void] = []

    deinit {
        releases.forEach { $0() }
    }

    func string(_ text: String) -> UnsafePointer<CChar> {
        UnsafePointer(mutableString(text))
    }

    /// execve's argv and envp are `char *const *`.
    func mutableString(_ text: String) -> UnsafeMutablePointer<CChar> {
        let copy = strdup(text)!
        releases.append { free(copy) }
        return copy
    }

    func array<Element>(_ elements: [Element]) -> UnsafeMutablePointer<Element> {
        let pointer = UnsafeMutablePointer<Element>.allocate(capacity: max(elements.count, 1))
        pointer.initialize(from: elements, count: elements.count)
        releases.append { pointer.deinitialize(count: elements.count); pointer.deallocate() }
        return pointer
    }
}
