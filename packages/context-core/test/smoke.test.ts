describe("toolchain", () => {
  it("supports using", () => {
    const log: string[] = [];
    {
      using _x = { [Symbol.dispose]: () => log.push("disposed") };
      log.push("in");
    }
    expect(log).toEqual(["in", "disposed"]);
  });
});
