import { describe } from "vitest";
import { hiddenSymptomsDoNotPass } from "./labCases.js";

describe("the failure labs, their symptoms hidden", () => hiddenSymptomsDoNotPass());
