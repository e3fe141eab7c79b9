import { describe, expect, it } from "vitest";
import { MAX_TODO_LENGTH, MAX_TODO_NUMBER, MAX_TODOS_PER_MESSAGE, OPT_IN_KEYWORDS, OPT_OUT_KEYWORDS } from "@sms-todo/rules";
import { numberTargets, type Command } from "../src/commands/command.model.js";
import {
  ACKNOWLEDGED_REASON,
  DELETE_HOW_REASON,
  EDIT_HOW_REASON,
  NUMBER_RANGE_REASON,
  NUMBERS_ONLY_REASON,
  OPT_OUT_HINT_REASON,
  SMALL_TALK_REASON,
  SUMMARY_TIME_REASON,
  TIMEZONE_REASON,
  TOO_LONG_REASON,
  TOO_MANY_REASON,
  UNDO_HOW_REASON,
  parseCommand,
} from "../src/parsing/command.parser.js";

const add = (...texts: string[]): Command => ({ kind: "add", texts });
/** One todo with the time words split off it. */
const timedAdd = (text: string, timing: { when?: string; every?: string }): Command => ({
  kind: "add",
  texts: [text],
  timings: [timing],
});
const complete = (...numbers: number[]): Command => ({ kind: "complete", targets: numberTargets(numbers) });
const remove = (...numbers: number[]): Command => ({ kind: "delete", targets: numberTargets(numbers) });
const edit = (number: number, text: string): Command => ({ kind: "edit", target: { by: "number", number }, text });
const list: Command = { kind: "list" };
const help: Command = { kind: "help" };
const more: Command = { kind: "more" };
const undo: Command = { kind: "undo" };
const optOut: Command = { kind: "subscription", subscribed: false };
const optIn: Command = { kind: "subscription", subscribed: true };
const summaryAt = (summaryTime: string): Command => ({ kind: "settings", change: { summaryTime } });
const summaryOff: Command = { kind: "settings", change: { summaryOff: true } };
const timezone = (name: string): Command => ({ kind: "settings", change: { timezone: name } });
const invalid = (reason: string): Command => ({ kind: "invalid", reason });
const removeAll: Command = { kind: "delete", targets: [{ by: "all" }] };
const completeAll: Command = { kind: "complete", targets: [{ by: "all" }] };

const cases: Array<[body: string, expected: Command]> = [
  // complete: the phrasings of SPEC section 1
  ["complete #3", complete(3)],
  ["done 3", complete(3)],
  ["#3 done", complete(3)],
  ["finished 3", complete(3)],
  ["x 3", complete(3)],
  ["check 3", complete(3)],
  ["complete 3 and 5", complete(3, 5)],
  ["done #1, #2", complete(1, 2)],
  ["complete number three", complete(3)],
  // complete: noise around the numbers
  ["Done #3.", complete(3)],
  ["done 3)", complete(3)],
  ["done no. 3", complete(3)],
  ["complete No 3", complete(3)],
  ["complete #3!!", complete(3)],
  ["🎉 done #3 🎉", complete(3)],
  ["done 3 👍", complete(3)],
  ["DONE 3", complete(3)],
  ["  complete   #3  ", complete(3)],
  ["Complete: #3", complete(3)],
  ["done, 3", complete(3)],
  ["done # 3", complete(3)],
  ["done#3", complete(3)],
  ["\tdone\t3\t", complete(3)],
  ["\n\ndone 3\n\n", complete(3)],
  ["done 3,", complete(3)],
  ["done 3 3", complete(3)],
  ["done 3️⃣", complete(3)],
  ["ｄｏｎｅ　＃３", complete(3)],
  // complete: several numbers and separators
  ["done 1,2,3", complete(1, 2, 3)],
  ["done 1, 2, and 3", complete(1, 2, 3)],
  ["done 1 & 2", complete(1, 2)],
  ["done 4 2", complete(4, 2)],
  ["x #7 #8", complete(7, 8)],
  ["complete one, two and three", complete(1, 2, 3)],
  ["complete number seventeen", complete(17)],
  ["done twenty", complete(20)],
  [`finished ${MAX_TODO_NUMBER}`, complete(MAX_TODO_NUMBER)],
  ["done 007", complete(7)],
  // complete: other verbs and verb-last forms
  ["completed 4", complete(4)],
  ["finish #2", complete(2)],
  ["check off 5", complete(5)],
  ["tick 6", complete(6)],
  ["done with #2", complete(2)],
  ["mark 3 done", complete(3)],
  ["mark #3 as done", complete(3)],
  ["#3 is done", complete(3)],
  ["3 and 4 are done", complete(3, 4)],
  ["#2 finished!", complete(2)],
  ["#3 completed", complete(3)],
  ["✅ 3", complete(3)],
  ["#3 ✔️", complete(3)],
  // complete: numbers out of range, or numbers without a verb
  ["done 0", invalid(NUMBER_RANGE_REASON)],
  [`done ${MAX_TODO_NUMBER + 1}`, invalid(NUMBER_RANGE_REASON)],
  [`done 3 and ${MAX_TODO_NUMBER + 1}`, invalid(NUMBER_RANGE_REASON)],
  ["#3", invalid(NUMBERS_ONLY_REASON)],
  ["3", invalid(NUMBERS_ONLY_REASON)],
  ["no. 3", invalid(NUMBERS_ONLY_REASON)],
  ["#1, #2", invalid(NUMBERS_ONLY_REASON)],
  // list
  ["list", list],
  ["ls", list],
  ["todos", list],
  ["?", list],
  [" ?? ", list],
  ["？", list],
  ["what's on my list", list],
  ["What’s on my list?", list],
  ["whats on my list", list],
  ["show list", list],
  ["my list", list],
  ["LIST", list],
  ["List.", list],
  ["todo", list],
  ["show my todos!", list],
  ["📋 list", list],
  // help
  ["help", help],
  ["HELP", help],
  ["Help?", help],
  ["info", help],
  ["commands", help],
  ["menu", help],
  ["", help],
  ["   ", help],
  ["\n \n\t", help],
  ["add", help],
  ["todo:", list],
  // add: plain text and prefixes
  ["buy milk", add("buy milk")],
  ["Call mom tomorrow", timedAdd("Call mom", { when: "tomorrow" })],
  ["add buy milk", add("buy milk")],
  ["ADD buy milk", add("buy milk")],
  ["Add: buy milk", add("buy milk")],
  ["todo: buy milk", add("buy milk")],
  ["TODO:buy milk", add("buy milk")],
  ["todo buy milk", add("buy milk")],
  ["  buy    oat   milk  ", add("buy oat milk")],
  ["Buy milk!! 🥛", add("Buy milk!! 🥛")],
  ["addition homework", add("addition homework")],
  ["add-on for the car", add("add-on for the car")],
  ["todos for the party", add("todos for the party")],
  // add: texts that only contain a command word stay todos
  ["check the mail", add("check the mail")],
  ["done deal with Bob", { kind: "complete", targets: [{ by: "name", name: "deal with Bob" }] }],
  ["list groceries for party", add("list groceries for party")],
  ["x-ray appointment", add("x-ray appointment")],
  ["help mom move", add("help mom move")],
  ["info session at 3", timedAdd("info session", { when: "at 3" })],
  ["next week: dentist", timedAdd("dentist", { when: "next week" })],
  ["Stop by the bank on Friday!", timedAdd("Stop by the bank!", { when: "on Friday" })],
  ["add stop by the bank on friday", timedAdd("stop by the bank", { when: "on friday" })],
  ["end of month report", timedAdd("report", { when: "end of month" })],
  ["finish 3 chapters", add("finish 3 chapters")],
  ["check 3 times the oven", add("check 3 times the oven")],
  ["done 3rd", { kind: "complete", targets: [{ by: "position", position: 3 }] }],
  ["x3", add("x3")],
  ["complete the report", { kind: "complete", targets: [{ by: "name", name: "report" }] }],
  ["3 eggs", add("3 eggs")],
  ["buy 2 & 3 pack", add("buy 2 & 3 pack")],
  ["✅ buy milk", { kind: "complete", targets: [{ by: "name", name: "buy milk" }] }],
  ["what's on my list for the party", { kind: "list", list: "party" }],
  ["commands for the dog", add("commands for the dog")],
  // add: several lines, one todo per non-empty line
  ["buy milk\ncall mom", add("buy milk", "call mom")],
  ["buy milk\r\n\r\n  call   mom  \r\n", add("buy milk", "call mom")],
  ["add buy milk\ntodo: call mom\nwalk dog", add("buy milk", "call mom", "walk dog")],
  ["- milk\n- eggs\n* bread", add("milk", "eggs", "bread")],
  ["1. milk\n2) eggs", add("milk", "eggs")],
  ["Todo:\nmilk\neggs", add("milk", "eggs")],
  // add: a command line among several lines is a todo like the others
  ["done 3\nbuy milk", add("done 3", "buy milk")],
  ["list\nhelp", add("list", "help")],
  ["buy milk\ndone 3", add("buy milk", "done 3")],
  // delete: the phrasings of SPEC section 1
  ["delete #4", remove(4)],
  ["remove 4", remove(4)],
  ["drop #4", remove(4)],
  // delete: more verbs, several numbers, verb last, noise
  ["delete 3 and 5", remove(3, 5)],
  ["Delete #4.", remove(4)],
  ["DEL 4", remove(4)],
  ["rm 4", remove(4)],
  ["erase #4", remove(4)],
  ["trash 4", remove(4)],
  ["cancel #4", remove(4)],
  ["forget 4", remove(4)],
  ["get rid of #4", remove(4)],
  ["remove number four", remove(4)],
  ["delete no. 4", remove(4)],
  ["delete #1, #2 and #3", remove(1, 2, 3)],
  ["#4 delete", remove(4)],
  ["4 deleted", remove(4)],
  ["#4 removed please", remove(4)],
  ["delete 4 please", remove(4)],
  ["🗑️ delete 4", remove(4)],
  ["delete 4 4", remove(4)],
  ["delete 0", invalid(NUMBER_RANGE_REASON)],
  [`delete ${MAX_TODO_NUMBER + 1}`, invalid(NUMBER_RANGE_REASON)],
  ["delete", invalid(DELETE_HOW_REASON)],
  ["remove", invalid(DELETE_HOW_REASON)],
  ["delete all", removeAll],
  ["delete everything", removeAll],
  ["clear list", removeAll],
  // complete: more noise, compound number words, courtesy words
  ["done 3 please", complete(3)],
  ["done #3, thanks!", complete(3)],
  ["ok done 3", complete(3)],
  ["complete number twenty one", complete(21)],
  ["done twenty-two", complete(22)],
  ["check 3 off", complete(3)],
  ["cross off #2", complete(2)],
  ["close 4", complete(4)],
  ["#2 is now finished", complete(2)],
  ["Complete number three.", complete(3)],
  ["I finished 3", complete(3)],
  ["I'm done with #2", complete(2)],
  ["I have completed number three", complete(3)],
  ["did 4", complete(4)],
  ["Check 3, 4 & 5", complete(3, 4, 5)],
  ["done", invalid(NUMBERS_ONLY_REASON)],
  ["Done!", invalid(NUMBERS_ONLY_REASON)],
  ["complete all", completeAll],
  ["all done", completeAll],
  ["done 3 and", complete(3)],
  // edit: the phrasings of SPEC section 1
  ["edit #2 buy oat milk", edit(2, "buy oat milk")],
  ["change 2 to buy oat milk", edit(2, "buy oat milk")],
  // edit: separators, markers, verbs and noise
  ["edit 2 buy oat milk", edit(2, "buy oat milk")],
  ["edit 2: Buy oat milk 🥛", edit(2, "Buy oat milk 🥛")],
  ["Edit #2 - buy OAT milk!", edit(2, "buy OAT milk!")],
  ["edit 2 → buy oat milk", edit(2, "buy oat milk")],
  ["edit 2 = buy oat milk", edit(2, "buy oat milk")],
  ["EDIT   #2    buy   oat milk  ", edit(2, "buy oat milk")],
  ["edit no. 2 buy oat milk", edit(2, "buy oat milk")],
  ["edit number two to buy oat milk", edit(2, "buy oat milk")],
  ['edit 2 "buy oat milk"', edit(2, "buy oat milk")],
  ["edit 2 to “buy oat milk”", edit(2, "buy oat milk")],
  ["change #2 buy oat milk", edit(2, "buy oat milk")],
  ["Change 2 into buy oat milk", edit(2, "buy oat milk")],
  ["change number 2 buy oat milk", edit(2, "buy oat milk")],
  ["rename 2 to call dad", edit(2, "call dad")],
  ["rename #2: call dad", edit(2, "call dad")],
  ["update 2: call dad at 5", edit(2, "call dad at 5")],
  ["replace 2 with call dad", edit(2, "call dad")],
  ["oops, change 2 to call dad", edit(2, "call dad")],
  ["edit 2 photos", edit(2, "photos")],
  ["edit 2", invalid(EDIT_HOW_REASON)],
  ["edit #2:", invalid(EDIT_HOW_REASON)],
  ["change 2 to", invalid(EDIT_HOW_REASON)],
  ["change 2", invalid(EDIT_HOW_REASON)],
  ["edit", invalid(EDIT_HOW_REASON)],
  ["edit 2 and 3 buy milk", invalid(EDIT_HOW_REASON)],
  ["edit 0 buy milk", invalid(NUMBER_RANGE_REASON)],
  [`edit ${MAX_TODO_NUMBER + 1} buy milk`, invalid(NUMBER_RANGE_REASON)],
  // list: more phrasings
  ["list please", list],
  ["show me my list", list],
  ["what do I have to do?", list],
  ["What's left?", list],
  ["my to-do list", list],
  ["summary", list],
  // more
  ["more", more],
  ["next", more],
  ["more please", more],
  ["More!", more],
  ["MORE pls", more],
  ["next page", more],
  ["show more", more],
  ["continue", more],
  // undo
  ["undo", undo],
  ["UNDO!", undo],
  ["oops undo", undo],
  ["Oops, undo that", undo],
  ["undo that", undo],
  ["undo last change", undo],
  ["undo please", undo],
  ["revert", undo],
  ["cancel that", undo],
  ["scratch that", undo],
  ["un-do", undo],
  ["undo 3", invalid(UNDO_HOW_REASON)],
  ["oops", invalid(UNDO_HOW_REASON)],
  // help: more phrasings
  ["help please", help],
  ["help me", help],
  ["how does this work?", help],
  ["hi", invalid(SMALL_TALK_REASON)],
  ["Hello!", invalid(SMALL_TALK_REASON)],
  // settings: summary time (SPEC section 1 first)
  ["summary 7am", summaryAt("07:00")],
  ["summary off", summaryOff],
  ["summary 7 am", summaryAt("07:00")],
  ["Summary 7AM", summaryAt("07:00")],
  ["summary 7:30 pm", summaryAt("19:30")],
  ["summary 7.30pm", summaryAt("19:30")],
  ["summary 7:30 p.m.", summaryAt("19:30")],
  ["summary at 19:00", summaryAt("19:00")],
  ["summary: 19:00", summaryAt("19:00")],
  ["summary 19h", summaryAt("19:00")],
  ["summary 7h30", summaryAt("07:30")],
  ["summary 7", summaryAt("07:00")],
  ["summary 0730", summaryAt("07:30")],
  ["summary 730pm", summaryAt("19:30")],
  ["summary 12am", summaryAt("00:00")],
  ["summary 12pm", summaryAt("12:00")],
  ["summary noon", summaryAt("12:00")],
  ["summary midnight", summaryAt("00:00")],
  ["summary 7 o'clock", summaryAt("07:00")],
  ["daily summary at 6:45am", summaryAt("06:45")],
  ["set summary to 8am", summaryAt("08:00")],
  ["set my summary time to 9pm", summaryAt("21:00")],
  ["summary time 7am", summaryAt("07:00")],
  ["summary 7am please", summaryAt("07:00")],
  ["Summary 7am ☀️", summaryAt("07:00")],
  ["summary on", summaryAt("08:00")],
  ["turn on the summary", summaryAt("08:00")],
  ["SUMMARY OFF", summaryOff],
  ["summary: off.", summaryOff],
  ["summaries off", summaryOff],
  ["summary none", summaryOff],
  ["no summary", summaryOff],
  ["turn off the daily summary", summaryOff],
  ["stop summary", summaryOff],
  ["cancel my summary", summaryOff],
  ["summary 25:00", invalid(SUMMARY_TIME_REASON)],
  ["summary 24:00", invalid(SUMMARY_TIME_REASON)],
  ["summary 13pm", invalid(SUMMARY_TIME_REASON)],
  ["summary 0am", invalid(SUMMARY_TIME_REASON)],
  ["summary 7:75", invalid(SUMMARY_TIME_REASON)],
  ["summary 7:5", invalid(SUMMARY_TIME_REASON)],
  ["summary 99", invalid(SUMMARY_TIME_REASON)],
  ["summary at", invalid(SUMMARY_TIME_REASON)],
  ["summary time", invalid(SUMMARY_TIME_REASON)],
  ["set summary", invalid(SUMMARY_TIME_REASON)],
  // settings: timezone (SPEC section 1 first)
  ["timezone Europe/Berlin", timezone("Europe/Berlin")],
  ["tz America/New_York", timezone("America/New_York")],
  ["tz america/new_york", timezone("America/New_York")],
  ["TZ AMERICA/NEW_YORK", timezone("America/New_York")],
  ["tz America/New York", timezone("America/New_York")],
  ["tz: europe/berlin.", timezone("Europe/Berlin")],
  ["time zone Europe/Berlin", timezone("Europe/Berlin")],
  ["set timezone to Europe/Berlin", timezone("Europe/Berlin")],
  ["my timezone is Asia/Tokyo", timezone("Asia/Tokyo")],
  ["timezone = Europe/Berlin please", timezone("Europe/Berlin")],
  ["tz America/Argentina/Salta", timezone("America/Argentina/Salta")],
  ["tz America/Port-au-Prince", timezone("America/Port-au-Prince")],
  ["tz UTC", timezone("UTC")],
  ["tz utc", timezone("UTC")],
  ["tz Etc/UTC", timezone("UTC")],
  ["tz london", timezone("Europe/London")],
  ["timezone New York", timezone("America/New_York")],
  ["tz US/Eastern", timezone("America/New_York")],
  ["tz Mars/Olympus_Mons", invalid(TIMEZONE_REASON)],
  ["tz EST", invalid(TIMEZONE_REASON)],
  ["tz GMT", invalid(TIMEZONE_REASON)],
  ["timezone", invalid(TIMEZONE_REASON)],
  ["tz berlin germany", invalid(TIMEZONE_REASON)],
  // opt-out and opt-in keywords (SPEC section 1), whole message only
  ...OPT_OUT_KEYWORDS.map((keyword): [string, Command] => [keyword, optOut]),
  ...OPT_IN_KEYWORDS.map((keyword): [string, Command] => [keyword, optIn]),
  ["stop", optOut],
  ["Stop.", optOut],
  ["  sToP!!  ", optOut],
  ["stop 🛑", optOut],
  ["Stop please", invalid(OPT_OUT_HINT_REASON)],
  ["please stop", invalid(OPT_OUT_HINT_REASON)],
  ["stop all", invalid(OPT_OUT_HINT_REASON)],
  ["opt-out", optOut],
  ["Unsubscribe.", optOut],
  ["cancel", optOut],
  ["stop texting me", invalid(OPT_OUT_HINT_REASON)],
  ["STOP\nSTOP", optOut],
  ["buy milk\nSTOP", optOut],
  ["START\nSTOP", optOut],
  ["start", optIn],
  ["Yes!", optIn],
  ["yes please", invalid(SMALL_TALK_REASON)],
  ["unstop", optIn],
  ["opt in", optIn],
  ["Start\n", optIn],
  // acknowledgements
  ["thanks", invalid(ACKNOWLEDGED_REASON)],
  ["Thank you!", invalid(ACKNOWLEDGED_REASON)],
  ["ok", invalid(ACKNOWLEDGED_REASON)],
  ["OK thanks", invalid(ACKNOWLEDGED_REASON)],
  ["got it", invalid(ACKNOWLEDGED_REASON)],
  ["👍", invalid(ACKNOWLEDGED_REASON)],
  ["👍🏽", invalid(ACKNOWLEDGED_REASON)],
  // add: the way out of every command rule
  ["add delete old photos", add("delete old photos")],
  ["add stop", add("stop")],
  ["add list", add("list")],
  ["add thanks", add("thanks")],
  ["todo: more please", add("more please")],
  ["todo: call the bank", add("call the bank")],
  ["add edit 2 photos", add("edit 2 photos")],
  ["add summary 7am", timedAdd("summary", { when: "7am" })],
];

/** Texts that contain a command word but say more: each is added exactly as written. */
const staysATodo: string[] = [
  "check the mail",
  "change the oil",
  "edit the video",
  "summary of the meeting",
  "stop by the bank",
  "quit smoking",
  "start the car",
  "undo the knot",
  "yes I need to call Bob",
  "drop 2 kids at school",
  "drop off the kids",
  "change 2 tires",
  "replace 2 light bulbs",
  "update 2 apps",
  "rename 2 files",
  "edit two photos",
  "change the sheets to the blue ones",
  "edit video 2",
  "more milk",
  "more eggs please",
  "help mom move",
  "help with homework",
  "info for the trip",
  "undo the braid",
  "revert the commit",
  "summary for 2023",
  "summary of chapter 3",
  "timezones for the trip",
  "tzatziki recipe",
  "start a blog",
  "end the lease",
  "quit the gym",
  "stopwatch for the oven",
  "thanks card for grandma",
  "ok google",
  "list groceries",
  "show the kids the zoo",
  "set the table",
  "x-mas shopping",
  "mark the calendar",
  "finish the report",
  "close the windows",
  "3 eggs and 2 apples",
  "no sugar",
  "hello kitty backpack",
  "hey jude on guitar",
  "Oops I did it again tickets",
  "just 3 more days",
];

describe("parseCommand", () => {
  it("when the tables are counted, then they hold at least 150 phrasings", () => {
    expect(cases.length + staysATodo.length).toBeGreaterThanOrEqual(150);
  });

  it.each(cases)("when the text is %j, then the command is %j", (body, expected) => {
    expect(parseCommand(body)).toEqual(expected);
  });

  it.each(staysATodo)("when the text %j only contains a command word, then it is added as written", (body) => {
    expect(parseCommand(body)).toEqual(add(body));
  });

  it.each(staysATodo)("when the text %j is sent with an add prefix, then it is added too", (body) => {
    expect(parseCommand(`add ${body}`)).toEqual(add(body));
  });

  it("when a todo has exactly the maximum length, then it is added", () => {
    const text = "a".repeat(MAX_TODO_LENGTH);
    expect(parseCommand(text)).toEqual(add(text));
  });

  it("when the length is counted, then it is counted in UTF-16 units as todo-domain counts it", () => {
    const fits = "🥛".repeat(MAX_TODO_LENGTH / 2);
    expect(parseCommand(fits)).toEqual(add(fits));
    expect(parseCommand(`${fits}a`)).toEqual(invalid(TOO_LONG_REASON));
  });

  it("when a todo is longer than the maximum, then the message is invalid with the length reason", () => {
    expect(parseCommand("a".repeat(MAX_TODO_LENGTH + 1))).toEqual(invalid(TOO_LONG_REASON));
    expect(TOO_LONG_REASON).toBe(`That todo is too long (max ${MAX_TODO_LENGTH} characters).`);
  });

  it("when one line of several is too long, then nothing is added", () => {
    expect(parseCommand(`buy milk\n${"b".repeat(MAX_TODO_LENGTH + 1)}`)).toEqual(invalid(TOO_LONG_REASON));
  });

  it("when the whitespace collapses below the maximum, then the todo is added", () => {
    const [a, b] = ["a".repeat(MAX_TODO_LENGTH / 2), "b".repeat(MAX_TODO_LENGTH / 2 - 1)];
    expect(parseCommand(`${a}${" ".repeat(100)}${b}`)).toEqual(add(`${a} ${b}`));
  });

  it("when a message has as many lines as todo-domain takes at once, then all are added", () => {
    const texts = Array.from({ length: MAX_TODOS_PER_MESSAGE }, (_, index) => `buy item ${index + 1}`);
    expect(parseCommand(texts.join("\n"))).toEqual(add(...texts));
  });

  it("when a message has more lines than todo-domain takes at once, then nothing is added", () => {
    const body = Array.from({ length: MAX_TODOS_PER_MESSAGE + 1 }, (_, index) => `buy item ${index + 1}`).join("\n");
    expect(parseCommand(body)).toEqual(invalid(TOO_MANY_REASON));
  });

  it("when more numbers are completed than todo-domain takes at once, then nothing is completed", () => {
    const numbers = Array.from({ length: MAX_TODOS_PER_MESSAGE + 1 }, (_, index) => index + 1);
    expect(parseCommand(`done ${numbers.join(",")}`)).toEqual(invalid(TOO_MANY_REASON));
    expect(parseCommand(`done ${numbers.slice(1).join(",")}`)).toEqual(complete(...numbers.slice(1)));
  });

  it.each([
    ["verb first", (refs: string) => `done ${refs} x`],
    ["verb last", (refs: string) => `${refs} x done`],
  ])("when a long line of numbers and separators nearly matches (%s), then no number is acted on", (_form, build) => {
    // The numbers are scanned, not backtracked over: a regular expression here once took exponential time.
    const body = build(Array.from({ length: 60 }, () => "1 , and").join(" "));
    expect(parseCommand(body)).not.toMatchObject({ targets: [{ by: "number", number: 1 }] });
  });

  it("when a pasted list holds a range, then no numbers are completed and each line is added", () => {
    expect(parseCommand("done 1-3\nbuy milk")).toEqual(add("done 1-3", "buy milk"));
  });

  it.each([
    ["done 1-3", complete(1, 2, 3)],
    ["delete #2–#4", remove(2, 3, 4)],
    ["done 3 through 5", complete(3, 4, 5)],
    ["done 1-3, 7", complete(1, 2, 3, 7)],
    ["done 0-2", invalid(NUMBER_RANGE_REASON)],
  ] as const)("when the numbers are written as a range (%j), then every number in it is meant", (body, expected) => {
    expect(parseCommand(body)).toEqual(expected);
  });

  it("when a range is wider than one message may carry, then nothing changes", () => {
    expect(parseCommand(`done 1-${MAX_TODOS_PER_MESSAGE}`)).toEqual(
      complete(...Array.from({ length: MAX_TODOS_PER_MESSAGE }, (_, i) => i + 1)),
    );
    expect(parseCommand(`done 1-${MAX_TODOS_PER_MESSAGE + 1}`)).toEqual(invalid(TOO_MANY_REASON));
    expect(parseCommand("delete 1-1000000000")).toEqual(invalid(TOO_MANY_REASON));
  });

  it("when the new text of an edit is longer than the maximum, then the edit is invalid with the length reason", () => {
    expect(parseCommand(`edit 2 ${"a".repeat(MAX_TODO_LENGTH)}`)).toEqual(edit(2, "a".repeat(MAX_TODO_LENGTH)));
    expect(parseCommand(`edit 2 ${"a".repeat(MAX_TODO_LENGTH + 1)}`)).toEqual(invalid(TOO_LONG_REASON));
  });

  it("when any zone Intl knows is named in lower or upper case, then its canonical name is sent", () => {
    for (const name of Intl.supportedValuesOf("timeZone")) {
      expect(parseCommand(`tz ${name.toLowerCase()}`)).toEqual(timezone(name));
      expect(parseCommand(`timezone ${name.toUpperCase()}`)).toEqual(timezone(name));
    }
  });

  it("when every minute of the day is sent as a 24-hour summary time, then it comes back as HH:MM", () => {
    for (let hour = 0; hour < 24; hour += 1) {
      for (let minute = 0; minute < 60; minute += 1) {
        const time = `${String(hour).padStart(2, "0")}:${String(minute).padStart(2, "0")}`;
        expect(parseCommand(`summary ${time}`)).toEqual(summaryAt(time));
      }
    }
  });

  it("when every hour is sent with am or pm, then it is read on the 12-hour clock", () => {
    for (let hour = 1; hour <= 12; hour += 1) {
      expect(parseCommand(`summary ${hour}am`)).toEqual(summaryAt(`${String(hour % 12).padStart(2, "0")}:00`));
      expect(parseCommand(`summary ${hour}:15 PM`)).toEqual(summaryAt(`${String((hour % 12) + 12).padStart(2, "0")}:15`));
    }
  });
});

describe("parseCommand with Twilio's OptOutType", () => {
  it.each([
    ["STOP", "buy milk", optOut],
    ["stop", "START", optOut],
    ["Stop", "done 3", optOut],
    ["START", "STOP", optIn],
    ["start", "buy milk", optIn],
    ["HELP", "done 3", help],
    ["help", "STOP", help],
    [" HELP ", "delete 4", help],
  ] as const)("when OptOutType is %j and the text is %j, then OptOutType decides", (optOutType, body, expected) => {
    expect(parseCommand(body, { optOutType })).toEqual(expected);
  });

  it.each([
    ["", "STOP", optOut],
    ["", "buy milk", add("buy milk")],
    [undefined, "done 3", complete(3)],
    ["UNKNOWN", "list", list],
    ["  ", "YES", optIn],
  ] as const)("when OptOutType is %j, then the text %j decides", (optOutType, body, expected) => {
    expect(parseCommand(body, { optOutType })).toEqual(expected);
  });

  it("when no options are given, then the text decides", () => {
    expect(parseCommand("STOP")).toEqual(optOut);
    expect(parseCommand("buy milk")).toEqual(add("buy milk"));
  });
});
