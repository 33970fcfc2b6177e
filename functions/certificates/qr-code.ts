/**
 * The QR code of a certificate's verification address, as the qrcode package encodes it
 * (error correction M: a scuffed print still scans), drawn as vector squares: one filled path
 * of a rectangle per run of dark modules in a row, so no hairline shows between modules.
 */
import QRCode from 'qrcode';

/** Light modules kept clear around the symbol (ISO/IEC 18004 asks for four). */
export const QUIET_ZONE_MODULES = 4;

export interface QrSymbol {
  /** Modules per side, without the quiet zone. */
  readonly size: number;
  /** Horizontal runs of dark modules: row, first column, length. */
  readonly runs: readonly (readonly [row: number, column: number, length: number])[];
}

export function qrSymbol(text: string): QrSymbol {
  const { modules } = QRCode.create(text, { errorCorrectionLevel: 'M' });
  const runs: [number, number, number][] = [];
  for (let row = 0; row < modules.size; row++) {
    for (let column = 0; column < modules.size; ) {
      if (!modules.get(row, column)) {
        column++;
        continue;
      }
      const first = column;
      while (column < modules.size && modules.get(row, column)) column++;
      runs.push([row, first, column - first]);
    }
  }
  return { size: modules.size, runs };
}
