import { describe } from "vitest";
import { solvesShard } from "./solveShard.js";

describe("the lessons and labs, shard 1 of 3", () => solvesShard(0));
