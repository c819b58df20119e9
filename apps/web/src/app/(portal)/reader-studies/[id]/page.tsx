import { StudyReading } from './study-reading';

export default async function StudyReadingPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return <StudyReading studyId={id} />;
}
