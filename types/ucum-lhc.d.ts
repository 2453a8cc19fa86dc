/**
 * The part of @lhncbc/ucum-lhc's API this platform uses (the package ships no type declarations).
 * See https://lhncbc.github.io/ucum-lhc/ for the library's documentation.
 */
declare module "@lhncbc/ucum-lhc" {
  export interface UcumUnitRecord {
    name_: string;
    csCode_: string;
    ciCode_: string;
    property_: string;
    isBase_: boolean;
    synonyms_: string | null;
    moleExp_: number;
    magnitude_: number;
    dim_: { dimVec_: number[] | null } | null;
    printSymbol_: string | null;
  }

  export interface UcumMessageResult {
    status: "valid" | "invalid" | "error" | "succeeded" | "failed";
    msg: string[];
  }

  export interface ValidateResult extends UcumMessageResult {
    ucumCode: string | null;
    unit: { code: string; name: string; guidance: string | null } | null;
  }

  export interface ConvertResult extends UcumMessageResult {
    toVal: number | null;
    fromUnit?: UcumUnitRecord;
    toUnit?: UcumUnitRecord;
  }

  export interface UcumLhcUtilsInstance {
    validateUnitString(unit: string, suggest?: boolean, valConv?: "validate" | "convert"): ValidateResult;
    convertUnitTo(
      fromUnit: string,
      fromValue: number,
      toUnit: string,
      options?: { suggest?: boolean; molecularWeight?: number; charge?: number },
    ): ConvertResult;
    getSpecifiedUnit(
      unit: string,
      valConv: "validate" | "convert",
      suggest?: boolean,
    ): { unit: UcumUnitRecord | null; origString: string; retMsg: string[] };
    commensurablesList(unit: string): [UcumUnitRecord[] | null, string[]];
  }

  export interface UnitTablesInstance {
    getAllUnitCodes(): string[];
    getUnitByCode(code: string): UcumUnitRecord | null;
    unitsCount(): number;
  }

  const ucum: {
    UcumLhcUtils: { getInstance(): UcumLhcUtilsInstance };
    UnitTables: { getInstance(): UnitTablesInstance };
  };
  export default ucum;
}
