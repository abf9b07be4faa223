import { describe } from "vitest";
import { solvesShard } from "./solveShard.js";

describe("the lessons and labs, shard 2 of 3", () => solvesShard(1));
