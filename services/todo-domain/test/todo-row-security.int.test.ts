import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { todo } from "@sms-todo/contracts";
import { enterUserScope } from "../src/users/user-scope.repository.js";
import { startTodoDomain, type TodoDomainFixture } from "./todo-domain.fixture.js";

const ALICE = "+15559990001";
const BOB = "+15559990002";

describe("row-level security on todos", () => {
  let domain: TodoDomainFixture;
  let alice: number;
  let bob: number;

  const idOf = async (phone: string) =>
    (await domain.databases.todo.selectFrom("users").select("id").where("phone_number", "=", phone).executeTakeFirstOrThrow()).id;

  beforeAll(async () => {
    domain = await startTodoDomain();
    let key = 0;
    for (const [phone, texts] of [
      [ALICE, ["alice one", "alice two"]],
      [BOB, ["bob one", "bob two", "bob three"]],
    ] as const) {
      key += 1;
      await domain.call("addTodos", {
        context: { phoneNumber: phone, idempotencyKey: `sms:SM${key}`, messageId: `SM${key}` },
        texts,
        source: todo.TodoSource.TODO_SOURCE_SMS,
      });
    }
    alice = await idOf(ALICE);
    bob = await idOf(BOB);
  });
  afterAll(async () => {
    await domain.close();
  });

  it("when a transaction is scoped to user A, then a query without any user filter sees only A's todos", async () => {
    // The unscoped connection sees everyone's: the rows are there to be hidden.
    expect(await domain.databases.todo.selectFrom("todos").select("text").execute()).toHaveLength(5);
    const seen = await domain.databases.todo.transaction().execute(async (trx) => {
      await enterUserScope(trx, alice);
      const rows = await trx.selectFrom("todos").select(["text", "user_id"]).orderBy("text").execute();
      const { rows: counted } = await sql<{ n: number }>`select count(*)::int as n from todos where text like 'bob%'`.execute(
        trx,
      );
      return { rows, bobs: counted[0]?.n };
    });
    expect(seen.rows).toEqual([
      { text: "alice one", user_id: alice },
      { text: "alice two", user_id: alice },
    ]);
    expect(seen.bobs).toBe(0);
  });

  it("when a transaction scoped to user A writes B's todos, then updates reach none and inserts are refused", async () => {
    const updated = await domain.databases.todo.transaction().execute(async (trx) => {
      await enterUserScope(trx, alice);
      const result = await trx.updateTable("todos").set({ text: "hacked" }).where("user_id", "=", bob).executeTakeFirst();
      return Number(result.numUpdatedRows);
    });
    expect(updated).toBe(0);
    await expect(
      domain.databases.todo.transaction().execute(async (trx) => {
        await enterUserScope(trx, alice);
        await trx
          .insertInto("todos")
          .values({ user_id: bob, number: 9, text: "planted", status: "open", source: "sms", closed_at: null })
          .execute();
      }),
    ).rejects.toThrow(/row-level security/);
    const bobs = await domain.databases.todo
      .selectFrom("todos")
      .select("text")
      .where("user_id", "=", bob)
      .orderBy("text")
      .execute();
    expect(bobs.map((row) => row.text)).toEqual(["bob one", "bob three", "bob two"]);
  });

  it("when the scope ends with its transaction, then the same connection is neither that user nor the scoped role any more", async () => {
    const after = await domain.databases.todo.connection().execute(async (connection) => {
      await connection.transaction().execute((trx) => enterUserScope(trx, alice));
      const { rows } = await sql<{ role: string; scoped: string | null }>`
        select current_user as role, nullif(current_setting('sms_todo.user_id', true), '') as scoped`.execute(connection);
      return rows[0];
    });
    expect(after?.scoped).toBeNull();
    expect(after?.role).not.toBe("sms_todo_app");
  });
});
