/**
 * Settings entered once per device (issue 14): the clinic or laboratory name printed at the top of
 * every report. Kept in localStorage, like the reviewer's name and the language.
 */
const CLINIC_KEY = 'malaria-screen.clinic';

export function clinicName(): string {
  try {
    return localStorage.getItem(CLINIC_KEY) ?? '';
  } catch {
    return '';
  }
}

export function setClinicName(name: string): void {
  try {
    localStorage.setItem(CLINIC_KEY, name.trim().slice(0, 200));
  } catch {
    // private mode: not remembered
  }
}
