/**
 * The one doubly-linked list of the data structures: O(1) push at the tail, shift from the head,
 * removal of any node and moving a node to the tail. It serves as every FIFO wait queue (a waiter
 * that is interrupted removes itself from the middle: `AsyncLock`, `AsyncQueue`, `KeyedLimiter`)
 * and as `AsyncCache`'s least-recently-used order (a hit moves its entry to the tail, eviction
 * shifts the head).
 *
 * @internal
 */
export class ListNode<T> {
  prev: ListNode<T> | undefined = undefined
  next: ListNode<T> | undefined = undefined
  list: LinkedList<T> | undefined = undefined
  constructor(readonly value: T) {}
}

/** @internal */
export class LinkedList<T> {
  head: ListNode<T> | undefined = undefined
  tail: ListNode<T> | undefined = undefined
  size = 0

  push(value: T): ListNode<T> {
    const node = new ListNode(value)
    this.link(node)
    return node
  }

  private link(node: ListNode<T>): void {
    node.list = this
    if (this.tail === undefined) {
      this.head = this.tail = node
    } else {
      node.prev = this.tail
      this.tail.next = node
      this.tail = node
    }
    this.size++
  }

  /** Moves `node` (of this list) to the tail: the most recently used. */
  moveToTail(node: ListNode<T>): void {
    if (node.list !== this || node === this.tail) return
    this.remove(node)
    this.link(node)
  }

  shift(): T | undefined {
    const node = this.head
    if (node === undefined) return undefined
    this.remove(node)
    return node.value
  }

  /** Removes `node` if it is still in this list; tells whether it was. */
  remove(node: ListNode<T>): boolean {
    if (node.list !== this) return false
    if (node.prev === undefined) this.head = node.next
    else node.prev.next = node.next
    if (node.next === undefined) this.tail = node.prev
    else node.next.prev = node.prev
    node.prev = node.next = node.list = undefined
    this.size--
    return true
  }

  /** Empties the list. */
  clear(): void {
    for (let node = this.head; node !== undefined; ) {
      const next = node.next
      node.prev = node.next = node.list = undefined
      node = next
    }
    this.head = this.tail = undefined
    this.size = 0
  }

  /** Removes and returns every value, in order. */
  drain(): Array<T> {
    const out: Array<T> = []
    for (let value = this.shift(); value !== undefined; value = this.shift()) out.push(value)
    return out
  }
}
