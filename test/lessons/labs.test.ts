import { describe } from "vitest";
import { brokenSetupsShowTheirSymptoms } from "./labCases.js";

describe("the failure labs", () => brokenSetupsShowTheirSymptoms());
