/** The microversion range the reference service implements (python-cinderclient 9.1's maximum). */
export const API_VERSION_RANGE = { min: '3.0', max: '3.70' } as const;
