/**
 * An intrusive doubly-linked FIFO list: O(1) push, shift and removal of any node, which is what
 * a waiter queue needs (a waiter that is interrupted removes itself from the middle).
 *
 * @internal
 */
export class WaitNode<T> {
  prev: WaitNode<T> | undefined = undefined
  next: WaitNode<T> | undefined = undefined
  list: WaitList<T> | undefined = undefined
  constructor(readonly value: T) {}
}

/** @internal */
export class WaitList<T> {
  head: WaitNode<T> | undefined = undefined
  tail: WaitNode<T> | undefined = undefined
  size = 0

  push(value: T): WaitNode<T> {
    const node = new WaitNode(value)
    node.list = this
    if (this.tail === undefined) {
      this.head = this.tail = node
    } else {
      node.prev = this.tail
      this.tail.next = node
      this.tail = node
    }
    this.size++
    return node
  }

  shift(): T | undefined {
    const node = this.head
    if (node === undefined) return undefined
    this.remove(node)
    return node.value
  }

  /** Removes `node` if it is still in this list; tells whether it was. */
  remove(node: WaitNode<T>): boolean {
    if (node.list !== this) return false
    if (node.prev === undefined) this.head = node.next
    else node.prev.next = node.next
    if (node.next === undefined) this.tail = node.prev
    else node.next.prev = node.prev
    node.prev = node.next = node.list = undefined
    this.size--
    return true
  }

  /** Removes and returns every value, in order. */
  drain(): Array<T> {
    const out: Array<T> = []
    for (let value = this.shift(); value !== undefined; value = this.shift()) out.push(value)
    return out
  }
}
