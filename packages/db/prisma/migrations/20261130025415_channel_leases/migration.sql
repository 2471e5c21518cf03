-- CreateTable
CREATE TABLE "ChannelLease" (
    "channel" TEXT NOT NULL,
    "owner" TEXT NOT NULL,
    "acquiredAt" TIMESTAMP(3) NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ChannelLease_pkey" PRIMARY KEY ("channel")
);
