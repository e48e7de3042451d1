/**
 * A tiny React host for HeidiCodesPanel, used by test/node/react-host.test.ts to prove the
 * pattern in a real React 19 render: properties arrive, events reach React, and unmounting
 * removes the element and its listeners. Query: `?session=&as=` (the mock user).
 */
import { StrictMode, useState } from 'react';
import { createRoot } from 'react-dom/client';
import type { CommittedCode } from 'heidi-clinical-codes';
import { HeidiCodesPanel } from './HeidiCodesPanel.tsx';

interface HostLog {
  saved: { sessionId: string; codes: string[] }[];
  reviews: string[];
  errors: string[];
}

declare global {
  interface Window {
    hostLog: HostLog;
  }
}

const params = new URLSearchParams(location.search);
const user = params.get('as') ?? 'react-host';
window.hostLog = { saved: [], reviews: [], errors: [] };

async function getHeidiToken() {
  const response = await fetch(`/ehr/heidi-token?as=${encodeURIComponent(user)}`);
  if (!response.ok) throw new Error(`token route answered ${response.status}`);
  return (await response.json()) as { token: string; expiration_time: string };
}

async function saveCodes(sessionId: string, codes: readonly CommittedCode[]) {
  window.hostLog.saved.push({ sessionId, codes: codes.map((c) => c.code) });
}

function App() {
  const [shown, setShown] = useState(true);
  return (
    <main>
      <button type="button" id="unmount" onClick={() => setShown(false)}>
        Close the panel
      </button>
      {shown && (
        <HeidiCodesPanel
          sessionId={params.get('session') ?? 'fx-knee-oa'}
          apiBase="/mock-heidi"
          ehrPatientId="EHR-PT-1001"
          patient={{ name: 'React Host Patient', gender: 'MALE', dob: '1958-03-14' }}
          clinicianNotes={['Set from React']}
          getHeidiToken={getHeidiToken}
          saveCodes={saveCodes}
          onReview={(detail) => window.hostLog.reviews.push(`${detail.status} ${detail.code.code}`)}
          onError={(detail) => window.hostLog.errors.push(detail.code)}
        />
      )}
    </main>
  );
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
