import { describe, expect, it } from "vitest"
import { LinkedList } from "../../src/internal/linkedList.js"

const values = <T>(list: LinkedList<T>): Array<T> => {
  const out: Array<T> = []
  for (let node = list.head; node !== undefined; node = node.next) out.push(node.value)
  return out
}

describe("LinkedList", () => {
  it("LinkedList_PushShift_IsFifo", () => {
    const list = new LinkedList<number>()
    list.push(1)
    list.push(2)
    list.push(3)
    expect(list.shift()).toBe(1)
    expect(values(list)).toEqual([2, 3])
    expect(list.size).toBe(2)
  })

  it("LinkedList_RemoveFromTheMiddle_KeepsTheOthersInOrder_AndIsIdempotent", () => {
    const list = new LinkedList<string>()
    list.push("a")
    const b = list.push("b")
    list.push("c")
    expect(list.remove(b)).toBe(true)
    expect(list.remove(b)).toBe(false)
    expect(values(list)).toEqual(["a", "c"])
    expect(list.size).toBe(2)
  })

  it("LinkedList_MoveToTail_MakesANodeTheMostRecent", () => {
    const list = new LinkedList<string>()
    const a = list.push("a")
    list.push("b")
    const c = list.push("c")
    list.moveToTail(a)
    expect(values(list)).toEqual(["b", "c", "a"])
    list.moveToTail(c)
    list.moveToTail(c)
    expect(values(list)).toEqual(["b", "a", "c"])
    expect(list.size).toBe(3)
  })

  it("LinkedList_NodeOfAnotherList_IsLeftAlone", () => {
    const one = new LinkedList<number>()
    const other = new LinkedList<number>()
    const node = one.push(1)
    expect(other.remove(node)).toBe(false)
    other.moveToTail(node)
    expect(values(one)).toEqual([1])
    expect(other.size).toBe(0)
  })

  it("LinkedList_DrainAndClear_EmptyIt_AndDetachTheNodes", () => {
    const list = new LinkedList<number>()
    list.push(1)
    const two = list.push(2)
    expect(list.drain()).toEqual([1, 2])
    expect(list.size).toBe(0)
    const three = list.push(3)
    list.clear()
    expect(list.head).toBeUndefined()
    expect(list.remove(three)).toBe(false)
    expect(list.remove(two)).toBe(false)
  })
})
