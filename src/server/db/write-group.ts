interface Waiting<Item, Result> {
  item: Item;
  resolve(result: Result): void;
  reject(error: unknown): void;
}

/**
 * Group commit: writes of one kind that arrive while the database is busy go to it together, as one
 * statement, instead of one after another. When 200 desk calls time out in the same moment, their 200
 * outcome writes are two or three statements rather than 200 queued on the connection (on the embedded
 * database, on its only one), so the last answer comes a few milliseconds after the first.
 *
 * Each caller still waits for its own write to commit before it answers: nothing is acknowledged that a
 * crash could lose. A group waits for nothing but the current turn of the event loop, so a write alone
 * goes out at once. One group is in flight at a time; what arrives meanwhile forms the next.
 */
export class WriteGroup<Item, Result> {
  readonly #writeMany: (items: readonly Item[]) => Promise<readonly Result[]>;
  readonly #largest: number;
  #waiting: Waiting<Item, Result>[] = [];
  #writing = false;

  /**
   * `writeMany` writes the items in one statement and answers each, in order. When it fails, each item is
   * written again alone, so one item the database refuses fails only its own caller.
   */
  constructor(writeMany: (items: readonly Item[]) => Promise<readonly Result[]>, largest = 250) {
    this.#writeMany = writeMany;
    this.#largest = largest;
  }

  write(item: Item): Promise<Result> {
    return new Promise((resolve, reject) => {
      this.#waiting.push({ item, resolve, reject });
      if (!this.#writing && this.#waiting.length === 1) setImmediate(() => void this.#drain());
    });
  }

  async #drain() {
    this.#writing = true;
    try {
      while (this.#waiting.length > 0) {
        const group = this.#waiting.splice(0, this.#largest);
        if (!(await this.#tryTogether(group)) && group.length > 1) await this.#writeEachAlone(group);
      }
    } finally {
      this.#writing = false;
    }
  }

  async #tryTogether(group: Waiting<Item, Result>[]): Promise<boolean> {
    try {
      const results = await this.#writeMany(group.map((waiting) => waiting.item));
      if (results.length !== group.length) {
        throw new Error(`a group write answered ${results.length} results for ${group.length} items`);
      }
      for (const [index, waiting] of group.entries()) waiting.resolve(results[index] as Result);
      return true;
    } catch (error) {
      if (group.length === 1) group[0]?.reject(error);
      return false;
    }
  }

  async #writeEachAlone(group: Waiting<Item, Result>[]) {
    await Promise.all(group.map((waiting) => this.#tryTogether([waiting])));
  }
}
